// Command benchwasm is the engine's half of the browser benchmark, built
// for js/wasm and loaded by the benchmark page (wasm/browsertest/benchpage),
// once on the page's main thread and once in a Web Worker. It imports the
// engine only, never Ebitengine. It sets globalThis.convlabBench to
//
//	start(digits Uint8Array, seed) -> ""          builds a refbench.Session, or returns the error
//	train(examples)                -> JSON string a refbench.Round, or {"error": "..."}
//	accuracy()                     -> JSON string {"accuracy": a}, or {"error": "..."}
//	version()                      -> the Go version it was built with
//
// and then waits for calls. Run natively it only says where it belongs.
package main

func main() { run() }
