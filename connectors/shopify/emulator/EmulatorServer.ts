// The emulator's HTTP server on loopback (node:http, so faults can drop a connection mid-request):
// routes /admin/api/… to the Admin API, /_emulator/… to the control API, everything else to 404.
// Acquired in a scope and closed, with its open connections, when the scope closes.
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { Clock, Effect, Ref, Runtime } from "effect"
import * as AdminApi from "./AdminApi.js"
import * as ControlApi from "./ControlApi.js"
import { EmulatorError } from "./EmulatorError.js"
import type { EmulatorState } from "./EmulatorState.js"

const readBody = (req: Http.IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    req.on("error", reject)
  })

const route = (state: EmulatorState, request: AdminApi.HttpRequest): Effect.Effect<AdminApi.HttpOutcome> => {
  const admin = AdminApi.graphqlPath.exec(request.path)
  if (admin !== null) return AdminApi.handle(state, request, admin[1]!)
  if (request.path.startsWith("/_emulator/")) return ControlApi.handle(state, request)
  return Effect.succeed({
    _tag: "Respond",
    status: 404,
    headers: { "content-type": "application/json; charset=utf-8" },
    body: JSON.stringify({ errors: "Not Found" }),
    delayMillis: 0,
    dropResponse: false
  })
}

const serve = (state: EmulatorState, req: Http.IncomingMessage, res: Http.ServerResponse) =>
  Effect.gen(function*() {
    const body = yield* Effect.promise(() => readBody(req))
    const headers: Record<string, string | undefined> = {}
    for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v
    const url = new URL(req.url ?? "/", "http://127.0.0.1")
    const outcome = yield* route(state, { method: req.method ?? "GET", path: url.pathname, headers, body })
    if (outcome._tag === "Reset") {
      req.socket.destroy()
      return
    }
    if (outcome.delayMillis > 0) yield* Effect.sleep(outcome.delayMillis)
    if (outcome.dropResponse) {
      req.socket.destroy()
      return
    }
    const stream = outcome.stream
    if (stream !== undefined) {
      res.writeHead(outcome.status, { ...outcome.headers, "content-length": stream.length })
      // A client that goes away mid-download must not leave the file open.
      const source = stream.open()
      source.on("error", () => res.destroy())
      res.on("close", () => source.destroy())
      source.pipe(res)
      return
    }
    res.writeHead(outcome.status, { ...outcome.headers, "content-length": Buffer.byteLength(outcome.body) })
    res.end(outcome.body)
  }).pipe(
    // The server keeps real time for its delays even when started from a test running on TestClock.
    Effect.withClock(Clock.make()),
    Effect.catchAllDefect((defect) =>
      Effect.sync(() => {
        if (!res.headersSent) {
          res.writeHead(500, { "content-type": "application/json; charset=utf-8" })
          res.end(JSON.stringify({ errors: [{ message: `Emulator defect: ${String(defect)}`, extensions: { code: "INTERNAL_SERVER_ERROR" } }] }))
        }
      })
    )
  )

/** Listens on 127.0.0.1:`port` (0 picks a free port) and returns the base URL. */
export const listen = (state: EmulatorState, port: number): Effect.Effect<string, EmulatorError, import("effect").Scope.Scope> =>
  Effect.gen(function*() {
    const runtime = yield* Effect.runtime<never>()
    const runFork = Runtime.runFork(runtime)
    const server = yield* Effect.acquireRelease(
      Effect.async<Http.Server, EmulatorError>((resume) => {
        const s = Http.createServer((req, res) => {
          runFork(serve(state, req, res))
        })
        s.keepAliveTimeout = 5000
        s.once("error", (e) => resume(Effect.fail(new EmulatorError({ reason: "ListenFailed", detail: String(e) }))))
        s.listen(port, "127.0.0.1", () => resume(Effect.succeed(s)))
      }),
      (s) =>
        Effect.async<void>((resume) => {
          s.closeAllConnections()
          s.close(() => resume(Effect.void))
        })
    )
    const address = server.address() as AddressInfo
    const url = `http://127.0.0.1:${address.port}`
    yield* Ref.set(state.baseUrl, url)
    return url
  })
