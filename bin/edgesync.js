#!/usr/bin/env node
// The `edgesync` command. It runs the TypeScript sources through tsx's loader, so `npm ci` is all the
// setup a clone needs and the command always runs the code that is checked out (`npm run build`
// produces a plain-JavaScript dist/ for deployments that prefer it).
import { register } from "tsx/esm/api"

register()
await import("../pipelines/main.ts")
