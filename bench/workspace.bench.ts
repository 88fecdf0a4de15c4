import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPasswordHasher } from '../src/main/auth/passwords';
import { createDispatcher } from '../src/main/transport/dispatcher';
import { startHttpServer } from '../src/main/transport/http-server';
import { openWorkspace } from '../src/main/workspace';
import { type Figure, percentile, timeIt } from './measure';

/** Workspace store, password hashing and the loopback server (issue: foundation). */
export async function benchWorkspace(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'flowbench-bench-'));
  try {
    const path = join(dir, 'bench.sqlite');
    const created = await timeIt(() => openWorkspace({ path }));
    const ws = created.value;
    const flows = 1000;
    const writes = await timeIt(() => {
      for (let i = 0; i < flows; i += 1) {
        ws.services.flows.create({ name: `Flow ${i}`, slug: `flow-${i}`, title: `Flow ${i}`, designation: 'authentication' });
      }
    });
    const list = await timeIt(() => ws.services.flows.list());
    ws.close();
    const reopened = await timeIt(() => openWorkspace({ path }));

    const hasher = createPasswordHasher();
    const hashes: number[] = [];
    for (let i = 0; i < 10; i += 1) hashes.push((await timeIt(() => hasher.hash(`password-${i}`))).ms);
    hashes.sort((a, b) => a - b);

    const server = await timeIt(() =>
      startHttpServer({ dispatcher: createDispatcher(reopened.value.handlers), events: reopened.value.events }),
    );
    const calls: number[] = [];
    for (let i = 0; i < 200; i += 1) {
      calls.push(
        (
          await timeIt(() =>
            fetch(`${server.value.origin}/rpc/flows.get`, {
              method: 'POST',
              headers: { authorization: `Bearer ${server.value.token}`, 'content-type': 'application/json' },
              body: JSON.stringify({ pk: list.value[0]?.pk }),
            }).then((r) => r.json()),
          )
        ).ms,
      );
    }
    calls.sort((a, b) => a - b);
    await server.value.close();
    reopened.value.close();
    return [
      { name: 'create + migrate a new workspace', value: `${created.ms.toFixed(1)} ms` },
      { name: `create ${flows} flows (one transaction each)`, value: `${writes.ms.toFixed(0)} ms (${((flows / writes.ms) * 1000).toFixed(0)} flows/s)` },
      { name: `list ${flows} flows`, value: `${list.ms.toFixed(2)} ms` },
      { name: 'reopen (checks + migrations)', value: `${reopened.ms.toFixed(1)} ms` },
      { name: 'argon2id hash (m=19456,t=2,p=1) p50/max', value: `${percentile(hashes, 50).toFixed(1)} / ${(hashes.at(-1) ?? 0).toFixed(1)} ms` },
      { name: 'loopback server start', value: `${server.ms.toFixed(1)} ms` },
      { name: 'HTTP flows.get p50/p99 (200 calls)', value: `${percentile(calls, 50).toFixed(2)} / ${percentile(calls, 99).toFixed(2)} ms` },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
