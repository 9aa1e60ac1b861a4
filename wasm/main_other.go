//go:build !(js && wasm)

package main

import (
	"fmt"
	"os"
)

// main explains where ConvLab runs: this program is built for js/wasm and
// drawn in a browser page.
func main() {
	fmt.Fprintln(os.Stderr, "ConvLab runs in a web browser: run ./build.sh serve and open the address it prints, or open web/index.html after ./build.sh.")
	os.Exit(2)
}
