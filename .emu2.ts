const customer = (i: number) => ({ id: i, name: `Customer ${i}`, email: `  Customer.${i}@Example.COM `, phone: `+1 (555) ${String(i % 1000).padStart(3, "0")}-${String(i % 10000).padStart(4, "0")}`, totalCents: 1000 + (i % 50000) })
const f = (c: any) => ({ ...c, email: c.email.trim().toLowerCase() })
const N = 1_000_000
let bytes = 0
const mode = process.argv[2]
const c0 = process.cpuUsage()
if (mode === "sync") {
  for (let s = 0; s < N; s += 1000) { const page = new Array(1000); for (let i = s; i < s + 1000; i++) page[i - s] = { record: customer(i), cursor: i }
    for (let b = 0; b < 1000; b += 500) { const batch = page.slice(b, b + 500); const out = batch.map((x) => f(x.record)); for (const o of out) bytes += JSON.stringify(o).length } }
} else {
  // producer/consumer with a queue and async hops like the runner
  const ready: any[][] = []; let wake: (() => void) | undefined; let done = false
  const producer = (async () => { for (let s = 0; s < N; s += 1000) { const page = new Array(1000); for (let i = s; i < s + 1000; i++) page[i - s] = { record: customer(i), cursor: i }; ready.push(page.slice(0, 500), page.slice(500)); wake?.(); while (ready.length >= 2) await new Promise<void>((r) => setImmediate(r)) } done = true; wake?.() })()
  while (true) { if (ready.length === 0) { if (done) break; await new Promise<void>((r) => { wake = r }); continue } const batch = ready.shift()!; await new Promise<void>((r) => setImmediate(r)); const out = batch.map((x) => f(x.record)); await new Promise<void>((r) => setImmediate(r)); for (const o of out) bytes += JSON.stringify(o).length }
  await producer
}
const c = process.cpuUsage(c0); console.log(mode, "cpu", ((c.user + c.system) / 1e6).toFixed(2))
