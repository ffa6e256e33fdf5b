/** Settings of the `file` org adapter: `{ path }`, relative to the config file's directory. */
import { z } from 'zod';

export const fileOrgSettings = z.object({ path: z.string().min(1) }).strict();

export type FileOrgSettings = z.output<typeof fileOrgSettings>;
