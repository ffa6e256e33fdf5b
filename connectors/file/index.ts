import { z } from 'zod';
import type { SourceConnectorFactory } from '../types.js';

export const fileSourceFactory: SourceConnectorFactory<{ path: string }> = {
  kind: 'file',
  settings: z.object({ path: z.string().min(1) }).strict(),
  create() {
    throw new Error('file source: under construction');
  },
};
