import { mount } from 'svelte';
import { browserStorage } from '../src/ui-logic/dismissed-jobs.storage.js';
import { applyTheme, readTheme } from '../src/ui-logic/theme.setting.js';
import App from './app.svelte';
import './app.css';

// Before the first paint of the page itself, so a chosen theme does not flash the other one.
applyTheme(document.documentElement, readTheme(browserStorage()));

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');
mount(App, { target });
