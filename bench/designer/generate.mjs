// A generated workflow as a designer would draw a large one: long chains of steps, decisions whose two
// branches meet again, forks of three branches into a join, and tasks with a side exit to an end.
// Deterministic (the same count gives the same workflow). Used by the designer bench and by the
// designer's layout tests (src/web/src/designer/layout.test.ts).

/** A small deterministic generator (mulberry32), so that runs compare. */
function random(seed) {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` activities (at least 3). With `positions`, each activity carries metadata.designer.position:
 * columns by longest path from the start, rows in the order the column fills, as a saved draft has them.
 */
export function generatedWorkflow(count, { positions = true, definitionId = `bench-${count}` } = {}) {
  const next = random(count);
  const pick = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  const activities = [{ id: 'start', type: 'Start', version: 1 }];
  const connections = [];
  const link = (a, port, b) => connections.push({ source: { activity: a, port }, target: { activity: b, port: 'In' } });
  let n = 0;
  const add = (type, extra = {}) => {
    const id = `${type.charAt(0).toLowerCase()}${type.slice(1)}${++n}`;
    activities.push({ id, type, version: 1, ...extra });
    return id;
  };
  const step = () => add('SetVariable', { displayName: `步骤 ${n + 1}`, variable: 'n', value: 'variables.n + 1' });
  const chain = (from, port, length) => {
    let tail = from;
    let out = port;
    for (let i = 0; i < length; i++) {
      const id = step();
      link(tail, out, id);
      tail = id;
      out = 'Done';
    }
    return tail;
  };
  let tail = 'start';
  // Leave room for the closing End; a segment never overshoots (each is sized to what is left).
  const left = () => count - 1 - activities.length;
  while (left() > 0) {
    const room = left();
    const kind = room < 8 ? 0 : pick(0, 3);
    if (kind === 0) tail = chain(tail, 'Done', Math.min(room, pick(3, 8)));
    else if (kind === 1) {
      const decision = add('Decision', { displayName: `判断 ${n + 1}`, condition: 'variables.n % 2 === 0' });
      link(tail, 'Done', decision);
      const yes = chain(decision, 'True', pick(1, 3));
      const no = chain(decision, 'False', pick(1, 3));
      const merge = step();
      link(yes, 'Done', merge);
      link(no, 'Done', merge);
      tail = merge;
    } else if (kind === 2) {
      const fork = add('Fork', { displayName: `并行 ${n + 1}`, branches: ['a', 'b', 'c'] });
      link(tail, 'Done', fork);
      const ends = ['a', 'b', 'c'].map((b) => chain(fork, b, pick(1, 2)));
      const join = add('Join', { displayName: `汇合 ${n + 1}`, mode: 'all' });
      for (const e of ends) link(e, 'Done', join);
      tail = join;
    } else {
      const task = add('HumanTask', {
        displayName: `审核 ${n + 1}`,
        title: '审核',
        role: 'GridWorker',
        outcomes: [
          { name: 'approved', label: '同意', labelEn: 'Approved' },
          { name: 'returned', label: '退回', labelEn: 'Returned' },
        ],
      });
      link(tail, 'Done', task);
      const side = step();
      link(task, 'returned', side);
      const sideEnd = add('End', { displayName: `退回结束 ${n + 1}` });
      link(side, 'Done', sideEnd);
      tail = chain(task, 'approved', 1);
    }
  }
  const end = add('End');
  link(tail, 'Done', end);

  if (positions) {
    // Columns by longest path from the start (the graph has no cycles), rows in the order each column fills.
    const depth = new Map([['start', 0]]);
    for (const c of connections) depth.set(c.target.activity, Math.max(depth.get(c.target.activity) ?? 0, depth.get(c.source.activity) + 1));
    const rows = new Map();
    for (const a of activities) {
      const d = depth.get(a.id) ?? 0;
      const row = rows.get(d) ?? 0;
      rows.set(d, row + 1);
      a.metadata = { designer: { position: { x: d * 260, y: row * 140 } } };
    }
  }
  return {
    definitionId,
    name: `生成的流程（${count} 个活动）`,
    variables: [{ name: 'n', type: 'number', value: 0 }],
    root: { type: 'Flowchart', activities, connections },
  };
}
