import { test } from 'vitest';
import { World, show, soqlOf } from './helpers.js';
test('probe', async () => {
  const w = await World.create({ leads: 12 });
  await w.write('m.csv', 'from,to\nana@acme.com,carla@acme.com\n');
  let r = await w.run(['plan', '--from', 'salesforce', '--inactive-owners', '--map', 'm.csv', '--to', 'queue:Hopper', '--out', 'p1']);
  console.log(show(r));
  console.log(soqlOf(w.requests()));
  console.log(await w.plan(w.path('p1')));
  r = await w.run(['apply', 'p1']);
  console.log(show(r));
  console.log(await w.results(w.path('p1')));
  r = await w.run(['runs', '--json']);
  console.log(show(r));
  console.log(w.requests().map(q=>`${q.method} ${q.path} ${q.kind} ${q.status}`).join('\n'));
  await w.close();
});
