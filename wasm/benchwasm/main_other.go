//go:build !(js && wasm)

package main

import (
	"fmt"
	"os"
)

// run explains that the command is meant for the browser.
func run() {
	fmt.Fprintln(os.Stderr, "benchwasm runs in the benchmark page: build it with GOOS=js GOARCH=wasm (./build.sh bench does)")
	os.Exit(2)
}
