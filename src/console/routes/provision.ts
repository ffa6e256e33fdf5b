/**
 * The provision-on-demand route (credentials, cross-site and CSRF rules as every other POST):
 *
 *   POST /api/profiles/:name/provision  { key, apply? }  -> { result, steps, plan, text, apply }
 *
 * `result` is `planned`, or `not-found` / `duplicate` with a one-line `message`. Errors as the
 * rest of the API: 400 bad body, 404 unknown profile, 409 blocked plan or profile busy.
 */
import type { FastifyInstance } from 'fastify';
import { principalOf, type ConsoleContext } from '../context.js';
import { provisionOne } from '../provision.js';

export function registerProvision(app: FastifyInstance, ctx: ConsoleContext): void {
  app.post<{ Params: { name: string } }>('/api/profiles/:name/provision', async (request) => provisionOne(ctx, request.params.name, request.body, principalOf(request)));
}
