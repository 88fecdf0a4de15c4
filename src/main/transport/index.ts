/** The contract's adapters: one dispatcher, many transports (ARCHITECTURE.md). */
export { createDispatcher, type Dispatcher, type DispatcherOptions } from './dispatcher';
export { startHttpServer, isLoopbackHost, statusForCode, CONTENT_SECURITY_POLICY, type HttpServerHandle, type HttpServerOptions } from './http-server';
export {
  registerIpc,
  forwardEvents,
  createTrustedSenderCheck,
  type IpcMainLike,
  type IpcMainEventLike,
  type RegisterIpcOptions,
  type TrustedSenderOptions,
} from './ipc';
export { createInProcessTransport } from './in-process';
export { consoleLogger, redact, isSecretKey, type Logger } from './logger';
