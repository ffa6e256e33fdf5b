/**
 * The HTML pages: `/` (profiles), `/plans` (list with filters) and `/plans/:id` (one plan with
 * filtered operations). Actions on them go through the JSON API from the page script.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { principalOf, type ConsoleContext } from '../context.js';
import { filterOperations, parseOperationFilter } from '../filter.js';
import { parseListParams } from '../params.js';
import { planDetail, profileOverviews } from '../queries.js';
import { planPage } from '../views/plan.js';
import { plansPage } from '../views/plans.js';
import { profilesPage } from '../views/profiles.js';

export function sendPage(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
}

export function registerPages(app: FastifyInstance, ctx: ConsoleContext): void {
  app.get('/', async (request, reply) => sendPage(reply, 200, profilesPage(await profileOverviews(ctx), principalOf(request), ctx.now())));

  app.get('/plans', async (request, reply) => {
    const params = parseListParams(request.query as Record<string, unknown>);
    const plans = await ctx.control.plans.list(params);
    const profiles = ctx.config.profiles.map((p) => p.name);
    return sendPage(reply, 200, plansPage(plans, params, profiles, principalOf(request), ctx.now()));
  });

  app.get<{ Params: { id: string } }>('/plans/:id', async (request, reply) => {
    const filter = parseOperationFilter(request.query as Record<string, unknown>);
    const detail = await planDetail(ctx, request.params.id);
    const shown = filterOperations(detail.plan.operations, filter);
    return sendPage(reply, 200, planPage(detail, filter, shown, principalOf(request), ctx.now()));
  });
}
