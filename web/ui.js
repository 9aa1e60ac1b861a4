// ConvLab's control layer: real page controls floating over the canvas,
// placed where the engine's layout says (CSS px). Every event they see is
// queued, in order, for the engine to read once a frame, so no click,
// tap or key press is lost however short it is or however slow the page.
// This file holds no logic of its own: it forwards raw events (wheel
// deltas, drag positions, typed text) and the engine interprets them.
window.convlabUI = (function () {
  "use strict";
  const root = document.getElementById("ui");
  const live = document.getElementById("live");
  const els = new Map(); // name -> element
  const queue = [];
  const files = new Map(); // id -> Uint8Array: files read, until the engine takes them
  let fileID = 0;
  let order = ""; // names in tab order, as last synced

  // push queues an event and wakes the engine: it runs a frame only when
  // something may have changed (wasm/frames.go).
  function push(ev) {
    queue.push(ev);
    if (window.convlabWake) window.convlabWake();
  }

  // The display's frame rate: animation frames over the last second,
  // counted here because the engine's own frames run only on change.
  let frames = 0, fps = 0, since = performance.now();
  function countFrame(t) {
    frames++;
    if (t - since >= 1000) {
      fps = frames * 1000 / (t - since);
      frames = 0;
      since = t;
    }
    requestAnimationFrame(countFrame);
  }
  requestAnimationFrame(countFrame);
  function rel(el, e) {
    const r = el.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  }

  // Deck keys and lesson numbers, when focus is not in a text field.
  const deckKeys = new Set(["ArrowLeft", "ArrowRight", "PageUp", "PageDown", " ", "Home", "End", "Escape",
    "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target;
    if (t && t.tagName === "INPUT" && t.type === "text") return; // the field handles its own keys
    if (t && t.tagName === "BUTTON" && (e.key === "Enter" || e.key === " ")) return; // native click follows
    if (t && t.type === "range" && e.key.startsWith("Arrow")) return; // the slider moves
    if (!deckKeys.has(e.key)) return;
    e.preventDefault();
    push({ t: "key", k: e.key, sh: e.shiftKey });
  });

  // A file for the File widget named name (or, with no such widget on
  // screen, for nobody: "" with the name and size only): read unless it
  // is larger than max bytes, and queued with its name, size and the id of
  // its bytes.
  function sendFile(name, file, max) {
    const ev = { t: "file", n: name, tx: file.name, v: file.size };
    if (!name || !(file.size <= max)) { push(ev); return; }
    file.arrayBuffer().then(
      (buf) => { fileID++; files.set(fileID, new Uint8Array(buf)); push({ ...ev, id: fileID }); },
      () => push(ev)); // unread: the engine says it could not be read
  }
  function fileWidget() {
    for (const el of els.values()) if (el.dataset.kind === "file") return el;
    return null;
  }
  // A file dragged over the page may be dropped anywhere: it goes to the
  // first File widget on screen. The browser must never open it in place
  // of the page (the student's work would be gone).
  const dragged = (e) => e.dataTransfer && Array.from(e.dataTransfer.types || []).includes("Files");
  document.addEventListener("dragover", (e) => {
    if (!dragged(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = "copy";
    root.classList.add("dragging");
  });
  document.addEventListener("dragleave", (e) => { if (!e.relatedTarget) root.classList.remove("dragging"); });
  document.addEventListener("drop", (e) => {
    if (!dragged(e)) return;
    e.preventDefault();
    root.classList.remove("dragging");
    const f = e.dataTransfer.files[0];
    if (!f) return;
    const el = fileWidget();
    sendFile(el ? el.dataset.name : "", f, el ? parseFloat(el.dataset.max) : 0);
  });

  function create(w) {
    let el;
    switch (w.k) {
      case "button": case "toggle": case "choice":
        el = document.createElement("button");
        el.type = "button";
        el.addEventListener("click", (e) => push({ t: "click", n: el.dataset.name, sh: e.shiftKey }));
        break;
      case "file": { // a button, and a hidden chooser it opens
        el = document.createElement("button");
        el.type = "button";
        const input = document.createElement("input");
        input.type = "file";
        input.accept = "image/*";
        input.hidden = true;
        input.tabIndex = -1;
        input.dataset.file = w.n;
        input.addEventListener("change", () => {
          if (input.files.length > 0) sendFile(el.dataset.name, input.files[0], parseFloat(el.dataset.max));
          input.value = ""; // choosing the same file again is a new choice
        });
        el.addEventListener("click", () => input.click());
        el.fileInput = input;
        document.body.appendChild(input);
        break;
      }
      case "slider":
        el = document.createElement("input");
        el.type = "range";
        el.addEventListener("input", () => push({ t: "change", n: el.dataset.name, v: parseFloat(el.value) }));
        break;
      case "field":
        el = document.createElement("input");
        el.type = "text";
        el.inputMode = "decimal";
        el.autocomplete = "off";
        el.spellcheck = false;
        editable(el);
        break;
      case "cell":
        if (w.ed) {
          el = document.createElement("input");
          el.type = "text";
          el.inputMode = "decimal";
          el.autocomplete = "off";
          el.spellcheck = false;
          editable(el);
          draggable(el);
        } else {
          el = document.createElement("button");
          el.type = "button";
          el.addEventListener("click", (e) => push({ t: "click", n: el.dataset.name, sh: e.shiftKey }));
        }
        break;
      default: // area
        el = document.createElement("div");
        el.tabIndex = 0;
        el.setAttribute("role", "application");
        area(el);
    }
    el.className = "w " + w.k + (w.g ? " " + w.g : "");
    el.dataset.name = w.n;
    el.dataset.kind = w.k + (w.ed ? "-edit" : "");
    el.addEventListener("pointerenter", (e) => push({ t: "pointermove", n: el.dataset.name, ...rel(el, e) }));
    el.addEventListener("pointerleave", () => push({ t: "pointerleave", n: el.dataset.name }));
    el.addEventListener("focus", () => push({ t: "focus", n: el.dataset.name }));
    el.addEventListener("blur", () => push({ t: "blur", n: el.dataset.name }));
    if (w.k !== "slider") {
      el.addEventListener("wheel", (e) => {
        e.preventDefault();
        push({ t: "wheel", n: el.dataset.name, dy: e.deltaY, dm: e.deltaMode, sh: e.shiftKey, ...rel(el, e) });
      }, { passive: false });
    }
    return el;
  }

  // A text field: Enter commits, Esc cancels, leaving the field commits a
  // changed value; ↑/↓ nudge the value like the wheel does.
  function editable(el) {
    el.addEventListener("focus", () => { el.dataset.orig = el.value; el.select(); });
    el.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        e.preventDefault();
        el.dataset.done = "1";
        push({ t: "commit", n: el.dataset.name, tx: el.value });
        el.blur();
      } else if (e.key === "Escape") {
        e.preventDefault();
        el.dataset.done = "1";
        el.value = el.dataset.orig || "";
        push({ t: "cancel", n: el.dataset.name });
        el.blur();
      } else if (e.key === "ArrowUp" || e.key === "ArrowDown") {
        e.preventDefault();
        push({ t: "wheel", n: el.dataset.name, dy: e.key === "ArrowUp" ? -100 : 100, dm: 0, sh: e.shiftKey });
      }
    });
    el.addEventListener("blur", () => {
      if (el.dataset.done !== "1" && el.value !== el.dataset.orig) {
        push({ t: "commit", n: el.dataset.name, tx: el.value });
      }
      el.dataset.done = "";
      if (el.dataset.pending !== undefined) { el.value = el.dataset.pending; delete el.dataset.pending; }
    });
  }

  // A number cell: a short press focuses it for typing; a press that moves
  // up or down drags the value.
  function draggable(el) {
    let down = null;
    el.addEventListener("pointerdown", (e) => {
      if (e.button !== 0) return;
      if (document.activeElement === el) return; // typing: let the caret move
      e.preventDefault();
      down = { x: e.clientX, y: e.clientY, drag: false, id: e.pointerId };
      el.setPointerCapture(e.pointerId);
      push({ t: "pointerdown", n: el.dataset.name, ...rel(el, e) });
    });
    el.addEventListener("pointermove", (e) => {
      if (!down || e.pointerId !== down.id) return;
      if (!down.drag && Math.abs(e.clientY - down.y) > 4) down.drag = true;
      if (down.drag) push({ t: "pointermove", n: el.dataset.name, ...rel(el, e) });
    });
    const up = (e) => {
      if (!down || e.pointerId !== down.id) return;
      const wasDrag = down.drag;
      down = null;
      push({ t: "pointerup", n: el.dataset.name, ...rel(el, e) });
      if (!wasDrag) {
        push({ t: "click", n: el.dataset.name });
        el.focus();
      }
    };
    el.addEventListener("pointerup", up);
    el.addEventListener("pointercancel", up);
  }

  // An area: every pointer event, with its position inside the area.
  function area(el) {
    let down = null;
    el.addEventListener("pointerdown", (e) => {
      if (e.button !== 0) return;
      e.preventDefault();
      el.focus();
      down = e.pointerId;
      el.setPointerCapture(e.pointerId);
      push({ t: "pointerdown", n: el.dataset.name, ...rel(el, e) });
    });
    el.addEventListener("pointermove", (e) => {
      push({ t: "pointermove", n: el.dataset.name, ...rel(el, e) });
    });
    const up = (e) => {
      if (down !== e.pointerId) return;
      down = null;
      push({ t: "pointerup", n: el.dataset.name, ...rel(el, e) });
      push({ t: "click", n: el.dataset.name, ...rel(el, e) });
    };
    el.addEventListener("pointerup", up);
    el.addEventListener("pointercancel", up);
    el.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        const r = el.getBoundingClientRect();
        push({ t: "click", n: el.dataset.name, x: r.width / 2, y: r.height / 2 });
      }
    });
  }

  function update(el, w) {
    const s = el.style;
    s.left = w.x + "px"; s.top = w.y + "px"; s.width = w.w + "px"; s.height = w.h + "px";
    const label = w.l || w.n;
    if (w.k === "file") el.dataset.max = w.max;
    if (w.k === "button" || w.k === "toggle" || w.k === "choice" || w.k === "file") {
      if (el.textContent !== label) el.textContent = label;
    } else if (el.getAttribute("aria-label") !== label) {
      el.setAttribute("aria-label", label);
    }
    if (w.t) el.setAttribute("aria-description", w.t); else el.removeAttribute("aria-description");
    if (w.k === "toggle" || w.k === "choice") el.setAttribute("aria-pressed", w.on ? "true" : "false");
    if ("disabled" in el) el.disabled = !!w.dis;
    el.classList.toggle("err", !!w.err);
    if (w.err) el.setAttribute("aria-invalid", "true"); else el.removeAttribute("aria-invalid");
    if (w.k === "slider") {
      el.min = w.min; el.max = w.max; el.step = w.st || "any";
      if (document.activeElement !== el || parseFloat(el.value) !== w.v) el.value = w.v;
    }
    if (w.k === "field" || (w.k === "cell" && w.ed)) {
      const text = w.tx || "";
      // Never overwrite what the student is typing; apply it when they leave.
      if (document.activeElement === el) {
        if (el.dataset.orig !== text) el.dataset.pending = text;
      } else if (el.value !== text) {
        el.value = text;
      }
    }
  }

  // The tooltip of the control the engine names (the pointer rested on
  // it, or it has the keyboard's focus). It is drawn here, above the
  // controls, which would hide one drawn on the canvas, and it describes
  // its control to screen readers.
  const tipEl = document.createElement("div");
  tipEl.id = "tip";
  tipEl.setAttribute("role", "tooltip");
  tipEl.hidden = true;
  root.appendChild(tipEl);
  let tipFor = null; // the control the tooltip describes

  // placeTip puts the tooltip below its control, or above it when there
  // is no room below, inside the window.
  function placeTip() {
    if (!tipFor) return;
    tipEl.style.left = tipEl.style.top = "0px"; // measured at its own width, not squeezed by the edge
    const r = tipFor.getBoundingClientRect();
    const b = tipEl.getBoundingClientRect(); // fractional: a rounded width would wrap its last word
    const gap = 4, w = Math.ceil(b.width) + 1, h = b.height;
    let y = r.bottom + gap;
    if (y + h > window.innerHeight) y = r.top - h - gap;
    tipEl.style.left = Math.max(0, Math.min(r.left, window.innerWidth - w)) + "px";
    tipEl.style.top = Math.max(0, y) + "px";
  }

  // discard removes a control and what belongs to it.
  function discard(el) {
    if (el.fileInput) el.fileInput.remove();
    el.remove();
  }

  return {
    // sync places the controls described by json (an array of widgets) and
    // removes the ones that are gone. scale sets the text size.
    sync(json, scale) {
      const ws = JSON.parse(json);
      root.style.fontSize = (20 * scale).toFixed(2) + "px";
      const keep = new Set();
      for (const w of ws) {
        keep.add(w.n);
        let el = els.get(w.n);
        if (el && el.dataset.kind !== w.k + (w.ed ? "-edit" : "")) { discard(el); els.delete(w.n); el = null; }
        if (!el) { el = create(w); els.set(w.n, el); }
        update(el, w);
      }
      for (const [n, el] of els) {
        if (!keep.has(n)) { discard(el); els.delete(n); }
      }
      if (tipFor && els.get(tipFor.dataset.name) !== tipFor) this.tip("", ""); // its control went
      const names = ws.map((w) => w.n).join("\n");
      if (names !== order) {
        // Tab order follows the layout's order. Moving the focused element
        // would drop its focus, so it stays where it is.
        order = names;
        const active = document.activeElement;
        for (const w of ws) {
          const el = els.get(w.n);
          if (el !== active) root.appendChild(el);
        }
      }
      placeTip(); // its control may have moved
    },
    // tip shows the tooltip text for the control name, or none when name
    // is "".
    tip(name, text) {
      if (tipFor) tipFor.removeAttribute("aria-describedby");
      tipFor = (name && text && els.get(name)) || null;
      tipEl.hidden = !tipFor;
      if (!tipFor) return;
      tipEl.textContent = text;
      tipFor.setAttribute("aria-describedby", "tip");
      placeTip();
    },
    // fps returns the display's frames per second over the last second.
    fps() { return fps; },
    // drain returns the queued events as JSON and empties the queue.
    drain() {
      if (queue.length === 0) return "";
      const s = JSON.stringify(queue);
      queue.length = 0;
      return s;
    },
    // takeFile returns the bytes of the file queued with id and forgets
    // them (null if there are none).
    takeFile(id) {
      const b = files.get(id);
      files.delete(id);
      return b || null;
    },
    // announce speaks msg to screen readers.
    announce(msg) { live.textContent = msg; },
    // targets lists every control with its rectangle in CSS pixels.
    targets() {
      const out = [];
      for (const [n, el] of els) {
        const r = el.getBoundingClientRect();
        out.push({ name: n, x: r.left, y: r.top, w: r.width, h: r.height, kind: el.dataset.kind });
      }
      return out;
    },
  };
})();
