//go:build !(js && wasm)

package main

import (
	"fmt"
	"os"
)

// main explains where the training worker runs: it is built for js/wasm
// and started by ConvLab's page in a Web Worker.
func main() {
	fmt.Fprintln(os.Stderr, "The training worker runs inside ConvLab's page, in a Web Worker: build it with ./build.sh and open web/index.html.")
	os.Exit(2)
}
