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
    const bin = atob(b64);
    const gz = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) gz[i] = bin.charCodeAt(i);
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
