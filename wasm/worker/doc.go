// Command worker is the training lesson's Web Worker: a js/wasm program
// with the engine only (no Ebitengine), which runs a lesson.TrainSession
// on a second core while the page draws. The page starts it through
// window.convlabStartWorker (web/loader.js, web/worker.js) and talks to it
// with postMessage; wasm/trainlink_js.go is the page's side. Build it with
// ./build.sh; it runs only in a browser.
package main
