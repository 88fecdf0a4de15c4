export * from './envelope';
export * from './events';
export * from './procedures';
export * from './procedure';
export * from './client';
export * from './patch';
export * from './ipc-channels';
export * from './blueprint-report';
