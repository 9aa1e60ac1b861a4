// ConvLab's loader: finds the WebAssembly module (streamed over http, or
// from main.wasm.js beside this page when opened from disk), shows real
// progress, and starts it. window.convlab is the automation interface.
(function () {
  "use strict";
  const msg = document.getElementById("load-msg");
  const fill = document.getElementById("load-fill");
  const info = window.convlabBuild || {};
  let resolveReady;
  const ready = new Promise((res) => { resolveReady = res; });

  function progress(frac, text) {
    fill.style.width = Math.round(Math.max(0, Math.min(1, frac)) * 100) + "%";
    if (text) msg.textContent = text;
  }
  function fail(text) {
    document.getElementById("loading").classList.remove("hidden");
    msg.textContent = text;
    msg.className = "error";
    msg.setAttribute("role", "alert");
    const bar = document.querySelector("#loading .bar");
    if (bar) bar.style.display = "none";
    console.warn("ConvLab: " + text);
  }
  window.convlabFail = fail;
  window.convlabReady = function () {
    document.getElementById("loading").classList.add("hidden");
    resolveReady();
  };

  window.convlab = {
    ready: ready,
    state: function () { return JSON.parse(window.convlabGo.state()); },
    targets: function () { return window.convlabUI.targets(); },
    conv2d: function (x, w, b, opts) {
      const out = JSON.parse(window.convlabGo.conv2d(JSON.stringify([x, w, b === undefined ? null : b, opts || {}])));
      if (out && !Array.isArray(out) && out.error) throw new Error(out.error);
      return out;
    },
  };

  // The training lesson's Web Worker (wasm/worker, web/worker.js). The main
  // module starts it when the lesson first needs it, never before the first
  // frame: convlabStartWorker(onMessage, onError) returns at once a port
  // {post(message, transfer), stop()} whose messages wait until the worker
  // is up; the worker's messages go to onMessage(data), and a worker that
  // cannot start or fails calls onError(text) once. The worker is made from
  // a Blob URL of wasm_exec.js + worker.js, which works from file:// too;
  // from disk their source and the gzipped module come from worker.wasm.js
  // (written by build.sh), over http they are fetched.
  let workerParts = null;
  function b64bytes(b64) {
    if (typeof Uint8Array.fromBase64 === "function") return Uint8Array.fromBase64(b64);
    const bin = atob(b64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  async function readWorkerParts() {
    if (location.protocol === "file:") {
      await loadScript("worker.wasm.js");
      if (typeof window.convlabWorkerGz !== "string" || typeof window.convlabWorkerSrc !== "string") {
        throw new Error("worker.wasm.js did not define the worker");
      }
      const src = new TextDecoder().decode(b64bytes(window.convlabWorkerSrc));
      const gz = b64bytes(window.convlabWorkerGz);
      delete window.convlabWorkerSrc;
      delete window.convlabWorkerGz;
      const wasm = await new Response(new Blob([gz]).stream().pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
      return { src, wasm };
    }
    const get = async (file, binary) => {
      const resp = await fetch(file);
      if (!resp.ok) throw new Error(file + ": " + resp.status + " " + resp.statusText);
      return binary ? resp.arrayBuffer() : resp.text();
    };
    const [exec, boot, wasm] = await Promise.all([get("wasm_exec.js"), get("worker.js"), get("worker.wasm", true)]);
    return { src: exec + "\n" + boot, wasm };
  }
  window.convlabStartWorker = function (onMessage, onError) {
    let worker = null;
    let dead = false;
    const waiting = [];
    const fail = (text) => {
      if (dead) return;
      dead = true;
      if (worker) worker.terminate();
      onError(text);
    };
    (async () => {
      if (typeof Worker !== "function") throw new Error("this browser has no Web Workers");
      workerParts = workerParts || readWorkerParts();
      const parts = await workerParts;
      if (dead) return;
      const url = URL.createObjectURL(new Blob([parts.src], { type: "text/javascript" }));
      worker = new Worker(url);
      worker.onmessage = (e) => {
        if (url) URL.revokeObjectURL(url);
        if (!dead) onMessage(e.data);
      };
      worker.onerror = (e) => {
        e.preventDefault();
        fail("the training worker failed: " + (e.message || "an error without a message"));
      };
      const wasm = parts.wasm.slice(0); // the worker takes a copy: a restart needs the original
      worker.postMessage({ type: "boot", wasm: wasm }, [wasm]);
      for (const [m, t] of waiting.splice(0)) worker.postMessage(m, t);
    })().catch((e) => fail("the training worker could not start: " + e.message));
    return {
      post(message, transfer) {
        if (dead) return;
        if (worker) worker.postMessage(message, transfer || []);
        else waiting.push([message, transfer || []]);
      },
      stop() {
        dead = true;
        if (worker) worker.terminate();
      },
    };
  };

  if (typeof WebAssembly !== "object" || typeof WebAssembly.instantiate !== "function") {
    fail("This browser cannot run WebAssembly, which ConvLab needs. Open the page in a recent Chrome, Edge, Firefox or Safari.");
    return;
  }
  const probe = document.createElement("canvas");
  if (!probe.getContext("webgl2")) {
    fail("This browser has WebGL 2 turned off or unavailable, and ConvLab draws with it. Turn on hardware acceleration in the browser's settings, or try another browser.");
    return;
  }
  if (!info.wasmBytes) {
    fail("ConvLab is not built yet: run ./build.sh, then open web/index.html again.");
    return;
  }

  const mb = (n) => (n / 1048576).toFixed(1) + " MB";

  // Counts the bytes flowing through a stream against the module's size.
  function counter(total, label) {
    let seen = 0;
    return new TransformStream({
      transform(chunk, ctl) {
        seen += chunk.byteLength;
        progress(seen / total, label + " " + mb(seen) + " of " + mb(total));
        ctl.enqueue(chunk);
      },
    });
  }

  function loadScript(src) {
    return new Promise((res, rej) => {
      const s = document.createElement("script");
      s.src = src;
      s.onload = res;
      s.onerror = () => rej(new Error("could not read " + src));
      document.head.appendChild(s);
    });
  }

  // From disk: main.wasm.js holds the gzipped module as base64.
  async function fromDisk(go) {
    progress(0.02, "Reading ConvLab from disk…");
    await loadScript("main.wasm.js");
    const b64 = window.convlabWasmGz;
    if (typeof b64 !== "string") throw new Error("main.wasm.js did not define the module");
    const gz = b64bytes(b64);
    delete window.convlabWasmGz;
    const stream = new Blob([gz]).stream()
      .pipeThrough(new DecompressionStream("gzip"))
      .pipeThrough(counter(info.wasmBytes, "Unpacking"));
    const bytes = await new Response(stream).arrayBuffer();
    progress(1, "Starting…");
    return WebAssembly.instantiate(bytes, go.importObject);
  }

  // Over http: stream and compile as the bytes arrive.
  async function overHTTP(go) {
    progress(0.01, "Downloading ConvLab…");
    const resp = await fetch("main.wasm");
    if (!resp.ok) throw new Error("main.wasm: " + resp.status + " " + resp.statusText);
    const counted = new Response(resp.body.pipeThrough(counter(info.wasmBytes, "Downloading")), {
      headers: { "Content-Type": "application/wasm" },
    });
    try {
      return await WebAssembly.instantiateStreaming(counted, go.importObject);
    } catch (e) {
      // A server without the application/wasm type: compile from bytes.
      const again = await fetch("main.wasm");
      return WebAssembly.instantiate(await again.arrayBuffer(), go.importObject);
    }
  }

  (async function start() {
    const go = new Go();
    try {
      const result = location.protocol === "file:" ? await fromDisk(go) : await overHTTP(go);
      progress(1, "Starting…");
      go.run(result.instance).then(() => fail("ConvLab stopped. Reload the page to start again; your work is kept."));
    } catch (e) {
      fail("ConvLab could not start: " + e.message);
    }
  })();
})();
