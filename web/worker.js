// ConvLab's training worker bootstrap. The page (web/loader.js,
// window.convlabStartWorker) makes a Web Worker from a Blob URL holding
// Go's wasm_exec.js followed by this file, so it works from file:// too,
// and sends {type: "boot", wasm: ArrayBuffer} first: the worker's module
// (built from wasm/worker), which this file instantiates and runs. Every
// later message goes to the Go program (self.convlabWorkerReceive); those
// that come before it listens wait, and it takes them with
// self.convlabWorkerReady().
"use strict";
(function () {
  const early = [];
  let booted = false;

  self.onmessage = function (e) {
    const m = e.data;
    if (!booted && m && m.type === "boot") {
      booted = true;
      boot(m.wasm);
      return;
    }
    if (typeof self.convlabWorkerReceive === "function") self.convlabWorkerReceive(m);
    else early.push(m);
  };

  self.convlabWorkerReady = function () {
    return early.splice(0);
  };

  async function boot(bytes) {
    try {
      const go = new Go();
      const result = await WebAssembly.instantiate(bytes, go.importObject);
      go.run(result.instance).then(() => self.postMessage({ type: "exit" }));
    } catch (e) {
      self.postMessage({ type: "error", message: "the training worker could not start: " + ((e && e.message) || e) });
    }
  }
})();
