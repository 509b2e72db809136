import { mount } from 'svelte';
import { browserStorage } from '../src/ui-logic/dismissed.store.js';
import { applyTheme, readTheme } from '../src/ui-logic/theme.js';
import App from './app.svelte';
import './app.css';

// Before the first paint of the page itself, so a chosen theme does not flash the other one.
applyTheme(document.documentElement, readTheme(browserStorage()));

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');
mount(App, { target });
