package nn

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"math"
	"math/rand"
	"reflect"
	"strings"
	"testing"
)

// smallNet is a net with every kind of stored tensor: conv, batch norm
// (with running averages) and linear.
func smallNet(t testing.TB) *Net {
	net, err := Build(Spec{Input: [3]int{1, 6, 6}, Layers: []LayerSpec{
		{Type: TypeConv, Filters: 2, Kernel: 3}, {Type: TypeBatchNorm}, {Type: TypeReLU},
		{Type: TypeMaxPool, Size: 2}, {Type: TypeLinear, Out: 3},
	}}, rand.New(rand.NewSource(9)))
	if err != nil {
		t.Fatal(err)
	}
	bn := net.Layers[1].(*BatchNorm)
	copy(bn.RunMean.Data, []float32{0.5, -1})
	copy(bn.RunVar.Data, []float32{2, 0.25})
	copy(bn.Gamma.Data, []float32{1.5, 0.5})
	return net
}

// reseal replaces the checksum of a weights file after an edit.
func reseal(b []byte) []byte {
	b = append([]byte(nil), b...)
	binary.LittleEndian.PutUint32(b[len(b)-4:], crc32.ChecksumIEEE(b[:len(b)-4]))
	return b
}

// withSpec returns a sealed file with the given spec JSON and tensor part.
func withSpec(spec string, tensors []byte) []byte {
	var b bytes.Buffer
	b.WriteString(weightsMagic)
	binary.Write(&b, binary.LittleEndian, uint32(1))
	binary.Write(&b, binary.LittleEndian, uint32(len(spec)))
	b.WriteString(spec)
	b.Write(tensors)
	b.Write([]byte{0, 0, 0, 0})
	return reseal(b.Bytes())
}

func TestWeightsRoundTrip(t *testing.T) {
	net := smallNet(t)
	var buf bytes.Buffer
	if err := net.Save(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := Load(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Spec, net.Spec) {
		t.Fatalf("spec %+v, want %+v", back.Spec, net.Spec)
	}
	a, b := net.State(), back.State()
	for i := range a {
		if !reflect.DeepEqual(a[i].Shape, b[i].Shape) || !reflect.DeepEqual(a[i].Data, b[i].Data) {
			t.Fatalf("state tensor %d differs", i)
		}
	}
	x := batchOf(rand.New(rand.NewSource(1)), 2, []int{1, 6, 6})
	want := append([]float32(nil), net.Forward(x, false).Data...)
	assertClose(t, "scores", back.Forward(x, false).Data, want, 0)
}

// TestWeightsLayout pins the header bytes of the format.
func TestWeightsLayout(t *testing.T) {
	b := smallNet(t).Marshal()
	if string(b[:8]) != "CLWEIGHT" || binary.LittleEndian.Uint32(b[8:]) != 1 {
		t.Fatalf("header % x", b[:12])
	}
	n := int(binary.LittleEndian.Uint32(b[12:]))
	if !strings.HasPrefix(string(b[16:16+n]), `{"input":[1,6,6],"layers":[{"type":"conv"`) {
		t.Fatalf("spec %s", b[16:16+n])
	}
	if got := binary.LittleEndian.Uint32(b[16+n:]); got != 8 { // conv W, B; batch norm ×4; linear W, B
		t.Fatalf("%d tensors, want 8", got)
	}
	// First tensor: rank 4, (2, 1, 3, 3).
	var dims [5]uint32
	binary.Read(bytes.NewReader(b[20+n:]), binary.LittleEndian, &dims)
	if dims != [5]uint32{4, 2, 1, 3, 3} {
		t.Fatalf("first tensor header %v", dims)
	}
}

func TestWeightsRejects(t *testing.T) {
	good := smallNet(t).Marshal()
	n := int(binary.LittleEndian.Uint32(good[12:]))
	specEnd := 16 + n
	flip := append([]byte(nil), good...)
	flip[len(flip)/2] ^= 0x10
	nan := append([]byte(nil), good...)
	binary.LittleEndian.PutUint32(nan[specEnd+4+20:], math.Float32bits(float32(math.NaN()))) // first value of the conv W
	tensors := good[specEnd : len(good)-4]
	wrongShape := append([]byte(nil), good...)
	binary.LittleEndian.PutUint32(wrongShape[specEnd+4+8:], 3) // conv W (2, 3, 3, 3) instead of (2, 1, 3, 3)

	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, "too short"},
		{"magic", append([]byte("CLWEIGHX"), good[8:]...), "not a ConvLab weights file"},
		{"version", reseal(append(append([]byte("CLWEIGHT"), 2, 0, 0, 0), good[12:]...)), "format version 2"},
		{"flipped bit", flip, "checksum"},
		{"truncated", good[:len(good)-9], "checksum"},
		{"truncated and resealed", reseal(good[:len(good)-8]), "ends inside the values"},
		{"trailing bytes", reseal(append(append([]byte(nil), good[:len(good)-4]...), 1, 2, 3, 4, 0, 0, 0, 0)), "4 bytes follow"},
		{"spec JSON", withSpec(`{"input": [1, 6, 6], "layers": [`, nil), "not valid JSON"},
		{"unknown field", withSpec(`{"input": [1, 6, 6], "layerz": []}`, nil), "not valid JSON"},
		{"spec does not build", withSpec(`{"input": [1, 6, 6], "layers": [{"type": "conv", "filters": 2, "kernel": 4, "stride": 3}]}`, nil),
			"layer 1 (conv 4x4 x2, stride 3): (6 − 4 + 0)/3 + 1"},
		{"huge spec", withSpec(`{"input": [1, 4096, 4096], "layers": [{"type": "linear", "out": 4096}]}`, nil), "more than 16777216"},
		{"tensor count", withSpec(string(good[16:specEnd]), []byte{7, 0, 0, 0}), "7 tensors, the spec needs 8"},
		{"no tensors", withSpec(string(good[16:specEnd]), tensors[:4]), "ends inside the rank"},
		{"shape", reseal(wrongShape), "tensor 1 has size 3 in dimension 2, the spec needs 2 x 1 x 3 x 3"},
		{"NaN", reseal(nan), "value 0 of tensor 1 is NaN"},
	}
	for _, tc := range tests {
		_, err := Unmarshal(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want it to contain %q", tc.name, err, tc.want)
		}
	}
}

// FuzzLoad: whatever the bytes, Unmarshal returns a net or an error and
// never panics; a net it returns survives a round trip.
func FuzzLoad(f *testing.F) {
	good := smallNet(f).Marshal()
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add(reseal(good[:len(good)-8]))
	f.Add([]byte("CLWEIGHT\x01\x00\x00\x00"))
	ref, _ := Build(ReferenceSpec(), nil)
	f.Add(ref.Marshal())
	f.Add(withSpec(`{"input":[1,2,2],"layers":[{"type":"linear","out":2}]}`, nil))
	f.Fuzz(func(t *testing.T, b []byte) { checkLoad(t, b) })
}

// FuzzLoadSealed fixes the checksum of every input before loading it, so
// that the fuzzer reaches the parser behind the checksum.
func FuzzLoadSealed(f *testing.F) {
	good := smallNet(f).Marshal()
	f.Add(good)
	f.Add(reseal(good[:len(good)-8]))
	f.Add(withSpec(`{"input":[1,2,2],"layers":[{"type":"batchnorm"},{"type":"linear","out":2}]}`, nil))
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) >= 4 {
			b = reseal(b)
		}
		checkLoad(t, b)
	})
}

// checkLoad loads b and, if it loads, checks that the net survives a round trip.
func checkLoad(t *testing.T, b []byte) {
	net, err := Unmarshal(b)
	if err != nil {
		if net != nil {
			t.Fatal("a net and an error")
		}
		return
	}
	again, err := Unmarshal(net.Marshal())
	if err != nil {
		t.Fatalf("a loaded net does not reload: %v", err)
	}
	a, c := net.State(), again.State()
	for i := range a {
		if !reflect.DeepEqual(a[i].Data, c[i].Data) {
			t.Fatalf("tensor %d changed in a round trip", i)
		}
	}
}
