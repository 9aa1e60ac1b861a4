package nn

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"

	"convlab/engine/tensor"
)

// The weights file holds a net's spec and state (Net.State) in this order,
// every integer a little-endian uint32:
//
//	magic    8 bytes "CLWEIGHT"
//	version  1
//	specLen  length of the spec, at most MaxSpecBytes
//	spec     specLen bytes: the Spec as JSON
//	count    number of tensors, len(Net.State())
//	tensors  count times: rank (1..4), rank sizes, then the values as
//	         IEEE-754 float32 bits, little-endian
//	crc      CRC-32 (IEEE) of every byte before it
//
// Nothing may follow the checksum.
const (
	weightsMagic   = "CLWEIGHT"
	weightsVersion = 1
	// MaxSpecBytes bounds the JSON spec in a weights file.
	MaxSpecBytes = 1 << 20
	// MaxWeightsBytes bounds a whole weights file.
	MaxWeightsBytes = 16 + MaxSpecBytes + 4 + 4*MaxParams*2
)

// Marshal returns the net's spec and state in the weights format.
func (n *Net) Marshal() []byte {
	spec, err := json.Marshal(n.Spec)
	if err != nil {
		panic("nn: a spec does not encode as JSON: " + err.Error())
	}
	var b bytes.Buffer
	u32 := func(v int) { binary.Write(&b, binary.LittleEndian, uint32(v)) }
	b.WriteString(weightsMagic)
	u32(weightsVersion)
	u32(len(spec))
	b.Write(spec)
	state := n.State()
	u32(len(state))
	for _, t := range state {
		u32(len(t.Shape))
		for _, d := range t.Shape {
			u32(d)
		}
		for _, v := range t.Data {
			u32(int(math.Float32bits(v)))
		}
	}
	u32(int(crc32.ChecksumIEEE(b.Bytes())))
	return b.Bytes()
}

// Save writes the net in the weights format.
func (n *Net) Save(w io.Writer) error {
	_, err := w.Write(n.Marshal())
	return err
}

// Load reads a net in the weights format (see Unmarshal), at most
// MaxWeightsBytes.
func Load(r io.Reader) (*Net, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxWeightsBytes+1))
	if err != nil {
		return nil, fmt.Errorf("weights: %w", err)
	}
	if len(b) > MaxWeightsBytes {
		return nil, fmt.Errorf("weights: the file is larger than %d bytes", MaxWeightsBytes)
	}
	return Unmarshal(b)
}

// Unmarshal rebuilds a net from the weights format. Truncated, corrupt or
// inconsistent input (a wrong magic, version or checksum, a spec that does
// not build, tensors whose shapes do not match the spec, NaN or infinite
// values, trailing bytes) gives an error that says what is wrong; it never
// panics and allocates only what the input's own size accounts for.
func Unmarshal(b []byte) (*Net, error) {
	if len(b) < len(weightsMagic)+8 {
		return nil, fmt.Errorf("weights: %d bytes is too short for a weights file (truncated?)", len(b))
	}
	if string(b[:len(weightsMagic)]) != weightsMagic {
		return nil, errors.New("weights: not a ConvLab weights file (wrong magic)")
	}
	if v := binary.LittleEndian.Uint32(b[len(weightsMagic):]); v != weightsVersion {
		return nil, fmt.Errorf("weights: format version %d; this build reads version %d", v, weightsVersion)
	}
	body, sum := b[:len(b)-4], binary.LittleEndian.Uint32(b[len(b)-4:])
	if got := crc32.ChecksumIEEE(body); got != sum {
		return nil, fmt.Errorf("weights: checksum %08x does not match the contents (%08x): the file is truncated or corrupt", sum, got)
	}
	r := &reader{b: body, off: len(weightsMagic) + 4}
	specLen := r.u32("spec length")
	if r.err == nil && specLen > MaxSpecBytes {
		return nil, fmt.Errorf("weights: a spec of %d bytes is larger than %d", specLen, MaxSpecBytes)
	}
	specJSON := r.bytes(specLen, "spec")
	if r.err != nil {
		return nil, r.err
	}
	var spec Spec
	dec := json.NewDecoder(bytes.NewReader(specJSON))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&spec); err != nil {
		return nil, fmt.Errorf("weights: the spec is not valid JSON: %w", err)
	}
	p, err := spec.plan()
	if err != nil {
		return nil, fmt.Errorf("weights: the spec does not build: %w", err)
	}
	want := p.stateShapes()
	count := r.u32("tensor count")
	if r.err == nil && count != len(want) {
		return nil, fmt.Errorf("weights: %d tensors, the spec needs %d", count, len(want))
	}
	for i, shape := range want {
		rank := r.u32("rank")
		if r.err == nil && rank != len(shape) {
			return nil, fmt.Errorf("weights: tensor %d has rank %d, the spec needs %s", i+1, rank, tensor.ShapeString(shape))
		}
		for d := range shape {
			if v := r.u32("size"); r.err == nil && v != shape[d] {
				return nil, fmt.Errorf("weights: tensor %d has size %d in dimension %d, the spec needs %s", i+1, v, d+1, tensor.ShapeString(shape))
			}
		}
		r.bytes(4*tensor.Size(shape), "values") // check they are all there before building
		if r.err != nil {
			return nil, r.err
		}
	}
	if r.off != len(body) {
		return nil, fmt.Errorf("weights: %d bytes follow the last tensor", len(body)-r.off)
	}
	net, err := Build(spec, nil)
	if err != nil {
		return nil, fmt.Errorf("weights: %w", err)
	}
	r.off = len(weightsMagic) + 8 + specLen + 4
	for i, t := range net.State() {
		r.off += 4 * (1 + len(t.Shape))
		for j := range t.Data {
			v := math.Float32frombits(binary.LittleEndian.Uint32(r.b[r.off:]))
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return nil, fmt.Errorf("weights: value %d of tensor %d is %v", j, i+1, v)
			}
			t.Data[j] = v
			r.off += 4
		}
	}
	return net, nil
}

// stateShapes lists the shapes of Net.State() for a planned spec.
func (p *plan) stateShapes() [][]int {
	var shapes [][]int
	for _, l := range p.layers {
		switch l.spec.Type {
		case TypeConv, TypeLinear:
			shapes = append(shapes, l.weight, []int{l.weight[0]})
		case TypeBatchNorm:
			c := []int{l.in[0]}
			shapes = append(shapes, c, c, c, c)
		}
	}
	return shapes
}

// reader reads little-endian fields, remembering the first shortfall.
type reader struct {
	b   []byte
	off int
	err error
}

func (r *reader) bytes(n int, what string) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || n > len(r.b)-r.off {
		r.err = fmt.Errorf("weights: the file ends inside the %s (truncated)", what)
		return nil
	}
	r.off += n
	return r.b[r.off-n : r.off]
}

func (r *reader) u32(what string) int {
	b := r.bytes(4, what)
	if b == nil {
		return 0
	}
	return int(binary.LittleEndian.Uint32(b))
}
