// The browser benchmark: three learners train the reference network (the
// ConvNetJS MNIST demo's) on the same 24x24 digits from digits.gz:
//   "convnetjs"  ConvNetJS 0.3.0 on this page's main thread,
//   "go-main"    the engine (bench.wasm) on this page's main thread,
//   "go-worker"  the engine in a Web Worker (worker.js).
// window.convlab is what the Go test drives:
//   ready            resolves once every learner is built
//   learners         the learners' names
//   train(name, n, label)  trains one learner on n more examples and returns
//                    {examples, ms, loss, ...}; label names the round in the
//                    page's table
//   accuracy()       {learner: fraction of the test digits classified correctly}
//   env()            cores, Go version, digit counts
//   resources()      every URL the page and the worker fetched
"use strict";

(() => {
  const seed = 1;
  const learners = {};
  const learnerNames = ["convnetjs", "go-main", "go-worker"];
  const facts = {};

  // loadDigits reads digits.gz, the MNIST asset format of engine/data:
  // gzip of "CLMNIST1", then big-endian uint32 ntrain, ntest, rows, cols,
  // then the training labels and pixels, then the test labels and pixels.
  async function loadDigits() {
    const gz = new Uint8Array(await (await fetch("digits.gz")).arrayBuffer());
    const stream = new Blob([gz]).stream().pipeThrough(new DecompressionStream("gzip"));
    const raw = new Uint8Array(await new Response(stream).arrayBuffer());
    const magic = new TextDecoder().decode(raw.subarray(0, 8));
    if (magic !== "CLMNIST1") throw new Error("digits.gz: magic is " + magic);
    const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const [ntrain, ntest, rows, cols] = [8, 12, 16, 20].map((o) => dv.getUint32(o));
    let off = 24;
    const part = (n) => {
      const labels = raw.subarray(off, off + n);
      off += n;
      const pixels = raw.subarray(off, off + n * rows * cols); // (n, rows, cols)
      off += n * rows * cols;
      return { n, labels, pixels };
    };
    const train = part(ntrain);
    const test = part(ntest);
    if (off !== raw.length) throw new Error("digits.gz: " + (raw.length - off) + " bytes too many");
    return { gz, rows, cols, train, test };
  }

  // convnetjsLearner builds the demo's network and trainer, with every
  // digit made into a Vol once (pixel p becomes p/255 − 0.5, as the demo
  // and the engine do), so that a round times training alone.
  function convnetjsLearner(d) {
    const net = new convnetjs.Net();
    net.makeLayers([
      { type: "input", out_sx: d.cols, out_sy: d.rows, out_depth: 1 },
      { type: "conv", sx: 5, filters: 8, stride: 1, pad: 2, activation: "relu" },
      { type: "pool", sx: 2, stride: 2 },
      { type: "conv", sx: 5, filters: 16, stride: 1, pad: 2, activation: "relu" },
      { type: "pool", sx: 3, stride: 3 },
      { type: "softmax", num_classes: 10 },
    ]);
    const trainer = new convnetjs.SGDTrainer(net, { method: "adadelta", batch_size: 20, l2_decay: 0.001 });
    const vols = (set) => {
      const size = d.rows * d.cols;
      const out = [];
      for (let i = 0; i < set.n; i++) {
        const v = new convnetjs.Vol(d.cols, d.rows, 1, 0.0);
        for (let j = 0; j < size; j++) v.w[j] = set.pixels[i * size + j] / 255 - 0.5;
        out.push(v);
      }
      return out;
    };
    const train = vols(d.train);
    const test = vols(d.test);
    let order = [];
    let next = 0;
    return {
      train(n) {
        let loss = 0;
        const t0 = performance.now();
        for (let k = 0; k < n; k++) {
          if (next >= order.length) {
            order = convnetjs.randperm(train.length); // each epoch in a fresh order, as the engine's trainer
            next = 0;
          }
          const i = order[next++];
          loss += trainer.train(train[i], d.train.labels[i]).cost_loss;
        }
        return { examples: n, ms: performance.now() - t0, loss: loss / n };
      },
      accuracy() {
        let correct = 0;
        for (let i = 0; i < test.length; i++) {
          net.forward(test[i], false);
          if (net.getPrediction() === d.test.labels[i]) correct++;
        }
        return correct / test.length;
      },
    };
  }

  // goMainLearner runs bench.wasm on this page's main thread.
  async function goMainLearner(d) {
    const go = new Go();
    const { instance } = await WebAssembly.instantiateStreaming(fetch("bench.wasm"), go.importObject);
    go.run(instance); // main installs convlabBench, then waits for calls
    const api = window.convlabBench;
    const err = api.start(d.gz, seed);
    if (err) throw new Error(err);
    facts.goVersion = api.version();
    const parse = (s) => {
      const r = JSON.parse(s);
      if (r.error) throw new Error(r.error);
      return r;
    };
    return {
      train(n) {
        const t0 = performance.now();
        const r = parse(api.train(n));
        r.ms = performance.now() - t0;
        return r;
      },
      accuracy: () => parse(api.accuracy()).accuracy,
    };
  }

  // goWorkerLearner runs bench.wasm in a Web Worker, one message at a time.
  async function goWorkerLearner(d) {
    const w = new Worker("worker.js");
    let pending = null;
    w.onmessage = (e) => {
      const p = pending;
      pending = null;
      if (e.data.error) p.reject(new Error("worker: " + e.data.error));
      else p.resolve(e.data);
    };
    w.onerror = (e) => {
      if (pending) pending.reject(new Error("worker: " + e.message));
      pending = null;
    };
    const call = (msg) => new Promise((resolve, reject) => {
      if (pending) throw new Error("worker: one call at a time");
      pending = { resolve, reject };
      w.postMessage(msg);
    });
    await call({ cmd: "start", digits: d.gz, seed });
    return {
      train: (n) => call({ cmd: "train", examples: n }),
      accuracy: async () => (await call({ cmd: "accuracy" })).accuracy,
      resources: async () => (await call({ cmd: "resources" })).urls,
    };
  }

  const status = (s) => { document.getElementById("status").textContent = s; };
  const breathe = () => new Promise((r) => setTimeout(r, 50));

  async function start() {
    const d = await loadDigits();
    facts.trainDigits = d.train.n;
    facts.testDigits = d.test.n;
    learners["convnetjs"] = convnetjsLearner(d);
    learners["go-main"] = await goMainLearner(d);
    learners["go-worker"] = await goWorkerLearner(d);
    status("Ready.");
  }

  // train trains one learner on n more examples and shows its rate in the
  // table's row for the round named label.
  async function train(name, n, label) {
    status("Round " + label + ": " + name + " training on " + n + " examples…");
    await breathe();
    const r = await learners[name].train(n);
    const id = "round-" + label;
    let row = document.getElementById(id);
    if (!row) {
      row = document.createElement("tr");
      row.id = id;
      row.innerHTML = "<td>" + label + "</td>" + learnerNames.map((k) => '<td class="' + k + '"></td>').join("");
      document.querySelector("#rounds tbody").appendChild(row);
    }
    row.querySelector("." + name).textContent = String(Math.round(r.examples / r.ms * 1000));
    status("Round " + label + ": " + name + " done.");
    return r;
  }

  async function accuracy() {
    const out = {};
    for (const name of learnerNames) {
      status("Testing " + name + "…");
      await breathe();
      out[name] = await learners[name].accuracy();
    }
    const row = document.createElement("tr");
    row.innerHTML = "<td>test accuracy</td>" + learnerNames.map((k) =>
      "<td>" + (100 * out[k]).toFixed(1) + "%</td>").join("");
    document.querySelector("#rounds tbody").appendChild(row);
    status("Done.");
    return out;
  }

  window.convlab = {
    ready: start(),
    learners: learnerNames,
    train,
    accuracy,
    env: () => Object.assign({ cores: navigator.hardwareConcurrency }, facts),
    resources: async () => performance.getEntriesByType("resource").map((r) => r.name)
      .concat(await learners["go-worker"].resources()),
  };
})();
