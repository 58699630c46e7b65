import { requestCommand } from './request.ts';

export const run = requestCommand('promote');
