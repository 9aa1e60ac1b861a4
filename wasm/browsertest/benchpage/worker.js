// The engine in a Web Worker: the same benchwasm module as on the page,
// driven by messages {cmd: "start" | "train" | "accuracy" | "resources"}.
// Each message gets one reply; a failure replies {error}.
"use strict";
importScripts("wasm_exec.js");

let api = null;

onmessage = async (e) => {
  const m = e.data;
  try {
    switch (m.cmd) {
    case "start": {
      const go = new Go();
      const { instance } = await WebAssembly.instantiateStreaming(fetch("bench.wasm"), go.importObject);
      go.run(instance); // main installs convlabBench, then waits for calls
      api = self.convlabBench;
      const err = api.start(m.digits, m.seed);
      if (err) throw new Error(err);
      postMessage({ version: api.version() });
      break;
    }
    case "train": {
      const t0 = performance.now();
      const r = JSON.parse(api.train(m.examples));
      r.ms = performance.now() - t0;
      postMessage(r);
      break;
    }
    case "accuracy":
      postMessage(JSON.parse(api.accuracy()));
      break;
    case "resources":
      postMessage({ urls: performance.getEntriesByType("resource").map((r) => r.name) });
      break;
    default:
      throw new Error("unknown command " + m.cmd);
    }
  } catch (err) {
    postMessage({ error: String((err && err.message) || err) });
  }
};
