/** Settings of the `file` source: `{ path }`, relative to the config file's directory. */
import { z } from 'zod';

export const fileSourceSettings = z.object({ path: z.string().min(1) }).strict();

export type FileSourceSettings = z.output<typeof fileSourceSettings>;
