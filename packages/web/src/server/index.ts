export { createWebServer, closeWebServer, listenWebServer } from './web.server.js';
export type { WebServerConfig, WebServerOptions } from './web.server.js';
export { loadConfig, DEFAULT_UI_DIR } from './config.js';
export type { WebConfig } from './config.js';
export { upstreamFor, PUSH_PATH } from './upstream.rule.js';
export type { Upstream } from './upstream.rule.js';
export { CONTENT_SECURITY_POLICY } from './security.middleware.js';
