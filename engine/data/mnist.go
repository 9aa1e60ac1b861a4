package data

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// The MNIST asset (assets/mnist.gz, written by `go run ./engine/cmd/mkassets`)
// is one gzip stream whose uncompressed payload is, in order:
//
//	magic   8 bytes   "CLMNIST1"
//	ntrain  uint32    big-endian, number of training digits, at least 1
//	ntest   uint32    big-endian, number of test digits, at least 1;
//	                  ntrain + ntest is at most 70,000 (all of MNIST)
//	rows    uint32    big-endian, image height, 1..28
//	cols    uint32    big-endian, image width, 1..28
//	labels  ntrain bytes, each 0..9
//	pixels  ntrain*rows*cols bytes, image-major then row-major;
//	        0 is background, 255 is full ink, as in the idx files
//	labels  ntest bytes
//	pixels  ntest*rows*cols bytes
//
// Nothing may follow. The gzip header carries no name and no time, so the
// same digits always give the same bytes.
const (
	mnistMagic    = "CLMNIST1"
	mnistHeader   = len(mnistMagic) + 4*4
	mnistMaxCount = 70000 // the whole of MNIST
	mnistMaxSide  = 28
	mnistMaxBytes = mnistHeader + mnistMaxCount*(1+mnistMaxSide*mnistMaxSide)
)

// MNISTClasses are the class names of the digit sets, indexed by label.
func MNISTClasses() []string {
	return []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}
}

// ParseMNIST reads the MNIST asset format described above and returns the
// training and test digits as 1 x rows x cols sets with classes "0".."9".
// It returns an error naming the first thing wrong for anything else:
// not gzip, a wrong magic, sizes out of range, a short or over-long
// payload, or a label above 9. It never panics and never allocates more
// than the payload it has actually decompressed (at most about 53 MiB).
func ParseMNIST(b []byte) (train, test *Set, err error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, nil, fmt.Errorf("mnist: not a gzip stream: %w", err)
	}
	payload, err := io.ReadAll(io.LimitReader(zr, int64(mnistMaxBytes)+1))
	if err != nil {
		return nil, nil, fmt.Errorf("mnist: cannot decompress: %w", err)
	}
	if len(payload) > mnistMaxBytes {
		return nil, nil, fmt.Errorf("mnist: payload is larger than %d bytes", mnistMaxBytes)
	}
	return parseMNISTPayload(payload)
}

// parseMNISTPayload reads the uncompressed form.
func parseMNISTPayload(p []byte) (train, test *Set, err error) {
	if len(p) < mnistHeader {
		return nil, nil, fmt.Errorf("mnist: %d bytes is shorter than the %d-byte header", len(p), mnistHeader)
	}
	if string(p[:len(mnistMagic)]) != mnistMagic {
		return nil, nil, fmt.Errorf("mnist: magic is %q, want %q", p[:len(mnistMagic)], mnistMagic)
	}
	h := p[len(mnistMagic):mnistHeader]
	ntrain := binary.BigEndian.Uint32(h[0:])
	ntest := binary.BigEndian.Uint32(h[4:])
	rows := binary.BigEndian.Uint32(h[8:])
	cols := binary.BigEndian.Uint32(h[12:])
	for _, f := range []struct {
		name string
		v    uint32
		max  uint32
	}{
		{"training count", ntrain, mnistMaxCount},
		{"test count", ntest, mnistMaxCount},
		{"rows", rows, mnistMaxSide},
		{"cols", cols, mnistMaxSide},
	} {
		if f.v < 1 || f.v > f.max {
			return nil, nil, fmt.Errorf("mnist: %s is %d, want 1..%d", f.name, f.v, f.max)
		}
	}
	if ntrain+ntest > mnistMaxCount {
		return nil, nil, fmt.Errorf("mnist: %d + %d digits is more than the %d of MNIST", ntrain, ntest, mnistMaxCount)
	}
	// All four are small, so these products fit an int on every platform.
	n := int(rows * cols)
	want := mnistHeader + int(ntrain+ntest)*(1+n)
	if len(p) != want {
		return nil, nil, fmt.Errorf("mnist: payload is %d bytes, the header (%d + %d digits of %dx%d) needs %d",
			len(p), ntrain, ntest, rows, cols, want)
	}
	rest := p[mnistHeader:]
	read := func(name string, count int) (*Set, error) {
		s := &Set{Name: name, Classes: MNISTClasses(), C: 1, H: int(rows), W: int(cols)}
		s.Labels = append([]uint8(nil), rest[:count]...)
		s.Pixels = append([]uint8(nil), rest[count:count*(1+n)]...)
		rest = rest[count*(1+n):]
		for i, l := range s.Labels {
			if l > 9 {
				return nil, fmt.Errorf("mnist: %s digit %d has label %d, want 0..9", name, i, l)
			}
		}
		return s, nil
	}
	if train, err = read("mnist-train", int(ntrain)); err != nil {
		return nil, nil, err
	}
	if test, err = read("mnist-test", int(ntest)); err != nil {
		return nil, nil, err
	}
	return train, test, nil
}

// EncodeMNIST writes train and test in the MNIST asset format, gzip at best
// compression with an empty header, so equal sets give equal bytes. Both
// sets must be single-channel with the same height and width and labels
// 0..9.
func EncodeMNIST(train, test *Set) ([]byte, error) {
	for _, s := range []*Set{train, test} {
		if err := s.Check(); err != nil {
			return nil, err
		}
		if s.C != 1 || s.H != train.H || s.W != train.W {
			return nil, fmt.Errorf("mnist: set %q is %dx%dx%d, want 1x%dx%d", s.Name, s.C, s.H, s.W, train.H, train.W)
		}
		if s.Len() < 1 || s.H > mnistMaxSide || s.W > mnistMaxSide {
			return nil, fmt.Errorf("mnist: set %q has %d images of %dx%d, want at least 1 of at most %dx%d",
				s.Name, s.Len(), s.H, s.W, mnistMaxSide, mnistMaxSide)
		}
		for i, l := range s.Labels {
			if l > 9 {
				return nil, fmt.Errorf("mnist: set %q image %d has label %d, want 0..9", s.Name, i, l)
			}
		}
	}
	if train.Len()+test.Len() > mnistMaxCount {
		return nil, fmt.Errorf("mnist: %d + %d digits is more than the %d of MNIST", train.Len(), test.Len(), mnistMaxCount)
	}
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	head := []byte(mnistMagic)
	for _, v := range []int{train.Len(), test.Len(), train.H, train.W} {
		head = binary.BigEndian.AppendUint32(head, uint32(v))
	}
	for _, part := range [][]byte{head, train.Labels, train.Pixels, test.Labels, test.Pixels} {
		if _, err := zw.Write(part); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Check reports whether s is consistent: positive sizes, C*H*W pixels per
// label and every label naming one of Classes.
func (s *Set) Check() error {
	if s == nil {
		return errors.New("data: nil set")
	}
	if s.C < 1 || s.H < 1 || s.W < 1 {
		return fmt.Errorf("data: set %q has shape %dx%dx%d, want positive sizes", s.Name, s.C, s.H, s.W)
	}
	if want := s.Len() * s.C * s.H * s.W; len(s.Pixels) != want {
		return fmt.Errorf("data: set %q has %d pixel bytes, %d images of %dx%dx%d need %d",
			s.Name, len(s.Pixels), s.Len(), s.C, s.H, s.W, want)
	}
	for i, l := range s.Labels {
		if int(l) >= len(s.Classes) {
			return fmt.Errorf("data: set %q image %d has label %d, but there are %d classes", s.Name, i, l, len(s.Classes))
		}
	}
	return nil
}
