// Package tensor holds ConvLab's one data type: a shaped array of float32
// values with an optional gradient of the same shape.
package tensor

import "fmt"

// Tensor is a dense array of float32 in channel-major (row-major) order.
//
// For a 4-D tensor of shape (N, C, H, W), element (n, c, h, w) is stored at
//
//	Data[((n*C+c)*H+h)*W+w]
//
// and lower-rank tensors use the same rule with the leading dimensions
// dropped: (C, H, W) -> Data[(c*H+h)*W+w], (H, W) -> Data[h*W+w].
// This is the only place the index formula is written; every other package
// uses At, Set or Index, or documents the same formula for its hot loops.
type Tensor struct {
	Shape []int     // sizes, outermost first, e.g. (N, C, H, W)
	Data  []float32 // values, len = product of Shape
	Grad  []float32 // gradient of a loss with respect to Data; nil or len(Data)
}

// New returns a zero tensor of the given shape. It panics if any size is
// negative (a programmer error).
func New(shape ...int) *Tensor {
	n := Size(shape)
	return &Tensor{Shape: append([]int(nil), shape...), Data: make([]float32, n)}
}

// FromData wraps data (not copied) as a tensor of the given shape. It panics
// if len(data) does not match the shape.
func FromData(data []float32, shape ...int) *Tensor {
	if n := Size(shape); n != len(data) {
		panic(fmt.Sprintf("tensor: %d values do not fill shape %v (%d)", len(data), shape, n))
	}
	return &Tensor{Shape: append([]int(nil), shape...), Data: data}
}

// Size returns the number of elements of a tensor of the given shape.
func Size(shape []int) int {
	n := 1
	for _, s := range shape {
		if s < 0 {
			panic(fmt.Sprintf("tensor: negative size in shape %v", shape))
		}
		n *= s
	}
	return n
}

// Len returns the number of elements.
func (t *Tensor) Len() int { return len(t.Data) }

// Index returns the position in Data of the element at idx, which must have
// one entry per dimension. It panics on a wrong rank or an index out of range.
func (t *Tensor) Index(idx ...int) int {
	if len(idx) != len(t.Shape) {
		panic(fmt.Sprintf("tensor: index %v has rank %d, shape %v has rank %d", idx, len(idx), t.Shape, len(t.Shape)))
	}
	off := 0
	for d, i := range idx {
		if i < 0 || i >= t.Shape[d] {
			panic(fmt.Sprintf("tensor: index %v out of range for shape %v", idx, t.Shape))
		}
		off = off*t.Shape[d] + i
	}
	return off
}

// At returns the element at idx.
func (t *Tensor) At(idx ...int) float32 { return t.Data[t.Index(idx...)] }

// Set stores v at idx.
func (t *Tensor) Set(v float32, idx ...int) { t.Data[t.Index(idx...)] = v }

// EnsureGrad allocates Grad (zeroed) if it is nil and returns it.
func (t *Tensor) EnsureGrad() []float32 {
	if t.Grad == nil {
		t.Grad = make([]float32, len(t.Data))
	}
	return t.Grad
}

// ZeroGrad sets every gradient to zero (gradients accumulate until zeroed).
func (t *Tensor) ZeroGrad() {
	for i := range t.Grad {
		t.Grad[i] = 0
	}
}

// Clone returns a deep copy (values and gradient).
func (t *Tensor) Clone() *Tensor {
	c := &Tensor{Shape: append([]int(nil), t.Shape...), Data: append([]float32(nil), t.Data...)}
	if t.Grad != nil {
		c.Grad = append([]float32(nil), t.Grad...)
	}
	return c
}

// SameShape reports whether a and b have identical shapes.
func SameShape(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// String formats the shape the way the lecture writes it, e.g. "3 x 32 x 32".
func ShapeString(shape []int) string {
	s := ""
	for i, d := range shape {
		if i > 0 {
			s += " x "
		}
		s += fmt.Sprint(d)
	}
	return s
}
