// Command serve serves ConvLab's web/ folder on 127.0.0.1 for
// ./build.sh serve and prints the address to open.
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"

	"convlab/wasm/devserver"
)

func main() {
	port := flag.Int("port", 8080, "port to listen on")
	dir := flag.String("dir", "web", "folder to serve")
	flag.Parse()
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", *port))
	if err != nil {
		fmt.Fprintf(os.Stderr, "serve: cannot listen on port %d: %v (try ./build.sh serve %d)\n", *port, err, *port+1)
		os.Exit(1)
	}
	fmt.Printf("ConvLab is served at http://%s/  (Ctrl-C stops it)\n", ln.Addr())
	if err := http.Serve(ln, devserver.Handler(*dir)); err != nil {
		fmt.Fprintln(os.Stderr, "serve:", err)
		os.Exit(1)
	}
}
