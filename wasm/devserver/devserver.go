// Package devserver serves ConvLab's web/ folder for ./build.sh serve and
// the browser tests: the right type for .wasm (so browsers compile it while
// it streams), gzip for those that accept it, and no stale caches.
package devserver

import (
	"compress/gzip"
	"io"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"
)

func init() {
	// Some systems' MIME tables lack these; the browser needs them exact.
	_ = mime.AddExtensionType(".wasm", "application/wasm")
	_ = mime.AddExtensionType(".js", "text/javascript; charset=utf-8")
}

// Handler serves the files under dir.
func Handler(dir string) http.Handler {
	files := http.FileServer(http.Dir(dir))
	pool := sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed); return w }}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		if t := mime.TypeByExtension(path.Ext(r.URL.Path)); t != "" {
			w.Header().Set("Content-Type", t)
		}
		if !compressible(r.URL.Path) || !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") ||
			r.Header.Get("Range") != "" {
			files.ServeHTTP(w, r)
			return
		}
		gz := pool.Get().(*gzip.Writer)
		defer pool.Put(gz)
		gz.Reset(w)
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Add("Vary", "Accept-Encoding")
		gw := &gzipWriter{ResponseWriter: w, gz: gz}
		files.ServeHTTP(gw, r)
		if gw.wrote {
			gz.Close()
		}
	})
}

func compressible(p string) bool {
	switch path.Ext(p) {
	case ".wasm", ".js", ".html", ".css", ".json", ".svg", "":
		return true
	}
	return strings.HasSuffix(p, "/")
}

// gzipWriter compresses a response body; it drops the length the file
// server sets, which is the uncompressed one.
type gzipWriter struct {
	http.ResponseWriter
	gz    *gzip.Writer
	wrote bool
	plain bool // an error or a redirect: passed through uncompressed
}

func (g *gzipWriter) WriteHeader(code int) {
	if code != http.StatusOK {
		g.plain = true
		g.Header().Del("Content-Encoding")
	} else {
		g.Header().Del("Content-Length")
	}
	g.ResponseWriter.WriteHeader(code)
}

func (g *gzipWriter) Write(b []byte) (int, error) {
	if g.plain {
		return g.ResponseWriter.Write(b)
	}
	g.wrote = true
	return g.gz.Write(b)
}
