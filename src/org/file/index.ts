import { z } from 'zod';
import type { OrgAdapterFactory } from '../types.js';

export const fileOrgFactory: OrgAdapterFactory<{ path: string }> = {
  kind: 'file',
  settings: z.object({ path: z.string().min(1) }).strict(),
  create() {
    throw new Error('file org: under construction');
  },
};
