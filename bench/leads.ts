import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { SANDBOX_VERMIETERHELDEN } from '../simulators/sandbox-credentials';
import { VERMIETERHELDEN_SIGNATURE_HEADER, signVermieterheldenBody } from '../lib/vermieterhelden-signature';
import type { BenchContext } from './context';
import { nowMs, round, summarize, type Summary } from './stats';

export interface LeadFigures {
  leads: number;
  /** Signed POST /api/leads/vermieterhelden → 200 (Temporal holds the lead), all sent at once. */
  intake: Summary;
  notOk: number;
  /** EspoCRM and 3CX calls per lead until its follow-up (call or Task) is recorded on the Lead. */
  callsPerLead: number;
  /** From the first POST until every lead's follow-up is recorded. */
  followedUpSeconds: number;
}

/** `count` Mieter-Anfragen from different people, signed as the site signs them, sent in parallel. */
export async function measureLeads(ctx: BenchContext, count: number): Promise<LeadFigures> {
  const run = randomUUID().slice(0, 8);
  const emails = Array.from({ length: count }, (_, i) => `bench.${run}.${i}@example.de`);
  await ctx.sim.call('resetCalls');
  const samples: number[] = [];
  let notOk = 0;
  const start = nowMs();
  await Promise.all(
    emails.map(async (email, i) => {
      const body = JSON.stringify({
        event: 'lead.created',
        id: `bench-${run}-${i}`,
        lead: {
          type: 'mieter',
          first_name: 'Bench',
          last_name: `Lead ${i}`,
          email,
          phone: `0171 ${String(5_000_000 + i)}`,
          concern: 'Mieterhöhung',
          message: 'Ist die Erhöhung zulässig?',
          consent: { privacy: true, phone_contact: true },
        },
      });
      const sent = nowMs();
      const res = await fetch(`${ctx.gateway.url}/api/leads/vermieterhelden`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          [VERMIETERHELDEN_SIGNATURE_HEADER]: signVermieterheldenBody(SANDBOX_VERMIETERHELDEN.webhookSecret, body),
        },
        body,
      });
      await res.arrayBuffer();
      samples.push(nowMs() - sent);
      if (res.status !== 200) notOk++;
    }),
  );
  const deadline = Date.now() + 120_000;
  while ((await ctx.sim.call('leadsFollowedUp', emails)) < count) {
    if (Date.now() > deadline) throw new Error('leads: not every follow-up recorded after 2 minutes');
    await sleep(100);
  }
  const followedUpSeconds = (nowMs() - start) / 1000;
  const seen = await ctx.sim.call('apiCalls');
  return {
    leads: count,
    intake: summarize(samples),
    notOk,
    callsPerLead: round((seen.espocrm + seen.threecx) / count, 2),
    followedUpSeconds: round(followedUpSeconds, 2),
  };
}
