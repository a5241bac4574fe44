export * from './users';
export * from './agents';
export * from './sessions';
export * from './messages';
export * from './outbox';
export * from './settings';
export * from './followers';
export * from './replay';
