/**
 * The JSON API (every route needs credentials; see `auth/guard.ts`):
 *
 *   GET  /api/profiles                  profiles with last and next run, plan awaiting a decision
 *   GET  /api/plans?profile&status&limit plan records, newest first          -> { plans }
 *   GET  /api/plans/:id                 record, plan document, results, the resync requests behind it
 *   GET  /api/plans/:id/progress        status, done/total, counts and results while applying
 *   POST /api/plans/:id/approve         { overrideGuards?, comment? }        -> { plan }
 *   POST /api/plans/:id/reject          { comment }                          -> { plan }
 *   POST /api/profiles/:name/resync     { full?, apply? }                    -> 202 { jobId, coalesced }
 *
 * Errors: `{ error: { code, message } }` with 400, 401, 403, 404, 409 or 503.
 */
import type { FastifyInstance } from 'fastify';
import { approve, reject, resync } from '../actions.js';
import { principalOf, type ConsoleContext } from '../context.js';
import { parseListParams } from '../params.js';
import { planDetail, planProgress, profileOverviews } from '../queries.js';

type IdParams = { Params: { id: string } };

export function registerApi(app: FastifyInstance, ctx: ConsoleContext): void {
  app.get('/api/profiles', async () => ({ profiles: await profileOverviews(ctx) }));
  app.get('/api/plans', async (request) => ({ plans: await ctx.control.plans.list(parseListParams(request.query as Record<string, unknown>)) }));
  app.get<IdParams>('/api/plans/:id', async (request) => planDetail(ctx, request.params.id));
  app.get<IdParams>('/api/plans/:id/progress', async (request) => planProgress(ctx, request.params.id));
  app.post<IdParams>('/api/plans/:id/approve', async (request) => ({ plan: await approve(ctx, request.params.id, request.body, principalOf(request)) }));
  app.post<IdParams>('/api/plans/:id/reject', async (request) => ({ plan: await reject(ctx, request.params.id, request.body, principalOf(request)) }));
  app.post<{ Params: { name: string } }>('/api/profiles/:name/resync', async (request, reply) => {
    const receipt = await resync(ctx, request.params.name, request.body, principalOf(request));
    return reply.code(202).send(receipt);
  });
}
