// Everything wekf needs to speak WeChat (Official Account protocol); knows nothing of our database.
export * from './errors';
export * from './signature';
export * from './crypto';
export * from './xml';
export * from './messages';
export * from './replies';
export * from './token-store';
export * from './client';
export * from './kf-types';
export * from './kf-api';
export * from './msg-records';
export * from './user-info';
