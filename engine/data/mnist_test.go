package data

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"strings"
	"testing"
)

// tinyDigits returns a set of n 2x3 "digits" whose pixels spell their index.
func tinyDigits(name string, labels ...uint8) *Set {
	s := &Set{Name: name, Classes: MNISTClasses(), C: 1, H: 2, W: 3, Labels: labels}
	for i := range labels {
		s.Pixels = append(s.Pixels, uint8(i), 0, 255, 10, 20, uint8(30+i))
	}
	return s
}

func gzipBytes(t testing.TB, p []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(p); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// payload builds an uncompressed asset from a header and a body.
func payload(magic string, ntrain, ntest, rows, cols uint32, body ...byte) []byte {
	p := []byte(magic)
	for _, v := range []uint32{ntrain, ntest, rows, cols} {
		p = binary.BigEndian.AppendUint32(p, v)
	}
	return append(p, body...)
}

func TestMNISTRoundTrip(t *testing.T) {
	train := tinyDigits("mnist-train", 3, 9, 0)
	test := tinyDigits("mnist-test", 7)
	b, err := EncodeMNIST(train, test)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := EncodeMNIST(train, test)
	if !bytes.Equal(b, again) {
		t.Fatal("EncodeMNIST gave different bytes for the same sets")
	}
	tr, te, err := ParseMNIST(b)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ got, want *Set }{{tr, train}, {te, test}} {
		if c.got.Name != c.want.Name || c.got.C != 1 || c.got.H != 2 || c.got.W != 3 ||
			!bytes.Equal(c.got.Labels, c.want.Labels) || !bytes.Equal(c.got.Pixels, c.want.Pixels) ||
			strings.Join(c.got.Classes, "") != "0123456789" {
			t.Errorf("parsed %+v, want %+v", c.got, c.want)
		}
	}
}

// TestMNISTPayloadLayout spells out one asset byte by byte, so the
// documented format and the code cannot drift apart.
func TestMNISTPayloadLayout(t *testing.T) {
	p := payload("CLMNIST1", 2, 1, 1, 2,
		4, 1, // training labels
		0, 255, // training digit 0, a 1x2 image
		9, 8, // training digit 1
		7,      // test label
		200, 3, // test digit 0
	)
	tr, te, err := ParseMNIST(gzipBytes(t, p))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(tr.Labels, []byte{4, 1}) || !bytes.Equal(tr.Pixels, []byte{0, 255, 9, 8}) ||
		!bytes.Equal(te.Labels, []byte{7}) || !bytes.Equal(te.Pixels, []byte{200, 3}) {
		t.Fatalf("train %v %v, test %v %v", tr.Labels, tr.Pixels, te.Labels, te.Pixels)
	}
	if tr.H != 1 || tr.W != 2 {
		t.Fatalf("train is %dx%d, want 1x2", tr.H, tr.W)
	}
}

func TestParseMNISTRejects(t *testing.T) {
	good := payload("CLMNIST1", 1, 1, 1, 1, 3, 50, 4, 60)
	for _, c := range []struct {
		name  string
		input []byte
		want  string
	}{
		{"empty", nil, "not a gzip stream"},
		{"not gzip", []byte("CLMNIST1 plain bytes"), "not a gzip stream"},
		{"cut gzip", gzipBytes(t, good)[:20], "cannot decompress"},
		{"short header", gzipBytes(t, good[:10]), "shorter than the 24-byte header"},
		{"magic", gzipBytes(t, payload("CLMNIST2", 1, 1, 1, 1, 3, 50, 4, 60)), `magic is "CLMNIST2"`},
		{"no training digits", gzipBytes(t, payload("CLMNIST1", 0, 1, 1, 1, 4, 60)), "training count is 0"},
		{"no test digits", gzipBytes(t, payload("CLMNIST1", 1, 0, 1, 1, 3, 50)), "test count is 0"},
		{"huge count", gzipBytes(t, payload("CLMNIST1", 1<<31, 1, 1, 1)), "training count is 2147483648"},
		{"too many", gzipBytes(t, payload("CLMNIST1", 60001, 10000, 1, 1)), "more than the 70000"},
		{"wide", gzipBytes(t, payload("CLMNIST1", 1, 1, 28, 29)), "cols is 29, want 1..28"},
		{"truncated body", gzipBytes(t, good[:len(good)-1]), "payload is 27 bytes, the header (1 + 1 digits of 1x1) needs 28"},
		{"trailing byte", gzipBytes(t, append(good[:len(good):len(good)], 0)), "payload is 29 bytes"},
		{"label 10", gzipBytes(t, payload("CLMNIST1", 1, 1, 1, 1, 3, 50, 10, 60)), "mnist-test digit 0 has label 10"},
		{"garbage after stream", append(gzipBytes(t, good), 1, 2, 3), "cannot decompress"},
	} {
		t.Run(c.name, func(t *testing.T) {
			tr, te, err := ParseMNIST(c.input)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one containing %q", err, c.want)
			}
			if tr != nil || te != nil {
				t.Fatal("sets returned with an error")
			}
		})
	}
}

func TestEncodeMNISTRejects(t *testing.T) {
	colour := tinyDigits("c", 1)
	colour.C = 3
	colour.Pixels = append(colour.Pixels, colour.Pixels...)
	colour.Pixels = append(colour.Pixels, colour.Pixels[:6]...)
	short := tinyDigits("s", 1, 2)
	short.Pixels = short.Pixels[:7]
	other := tinyDigits("o", 1)
	other.H, other.W = 3, 2
	for _, c := range []struct {
		name        string
		train, test *Set
		want        string
	}{
		{"nil", nil, tinyDigits("t", 1), "nil set"},
		{"colour", colour, tinyDigits("t", 1), "is 3x2x3, want 1x2x3"},
		{"short pixels", short, tinyDigits("t", 1), "has 7 pixel bytes"},
		{"shapes differ", tinyDigits("t", 1), other, `set "o" is 1x3x2, want 1x2x3`},
		{"empty", &Set{Name: "e", Classes: MNISTClasses(), C: 1, H: 2, W: 3}, tinyDigits("t", 1), "has 0 images"},
		{"class beyond 9", &Set{Name: "x", Classes: make([]string, 12), C: 1, H: 2, W: 3,
			Labels: []uint8{11}, Pixels: make([]uint8, 6)}, tinyDigits("t", 1), "label 11, want 0..9"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := EncodeMNIST(c.train, c.test); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one containing %q", err, c.want)
			}
		})
	}
}

// FuzzParseMNIST feeds arbitrary bytes to the parser: it must return sets
// that are consistent, or an error, and never panic.
func FuzzParseMNIST(f *testing.F) {
	b, err := EncodeMNIST(tinyDigits("a", 1, 2), tinyDigits("b", 3))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add(b[:len(b)/2])
	f.Add([]byte{})
	f.Add(gzipBytes(f, payload("CLMNIST1", 1, 1, 1, 1, 3, 50, 4, 60)))
	f.Fuzz(func(t *testing.T, in []byte) {
		checkParsed(t, in)
	})
}

// FuzzParseMNISTPayload compresses arbitrary bytes first, so the fuzzer
// spends its time in the header and body checks rather than in gzip.
func FuzzParseMNISTPayload(f *testing.F) {
	f.Add(payload("CLMNIST1", 1, 1, 1, 1, 3, 50, 4, 60))
	f.Add(payload("CLMNIST1", 2, 1, 1, 2, 4, 1, 0, 255, 9, 8, 7, 200, 3))
	f.Add(payload("CLMNIST1", 1, 1, 28, 28))
	f.Fuzz(func(t *testing.T, p []byte) {
		checkParsed(t, gzipBytes(t, p))
	})
}

func checkParsed(t *testing.T, in []byte) {
	tr, te, err := ParseMNIST(in)
	if err != nil {
		if tr != nil || te != nil {
			t.Fatal("sets returned with an error")
		}
		return
	}
	for _, s := range []*Set{tr, te} {
		if err := s.Check(); err != nil {
			t.Fatal(err)
		}
		if s.Len() == 0 || s.C != 1 {
			t.Fatalf("set %q: %d images of %d channels", s.Name, s.Len(), s.C)
		}
	}
	// A set that parsed encodes back to a payload that parses the same.
	again, err := EncodeMNIST(tr, te)
	if err != nil {
		t.Fatal(err)
	}
	tr2, te2, err := ParseMNIST(again)
	if err != nil || !bytes.Equal(tr2.Pixels, tr.Pixels) || !bytes.Equal(te2.Labels, te.Labels) {
		t.Fatalf("round trip: %v", err)
	}
}
