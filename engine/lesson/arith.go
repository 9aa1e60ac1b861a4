package lesson

import (
	"fmt"
	"strings"

	"convlab/engine/tensor"
)

// Term is one product x·w of a written dot product.
type Term struct {
	C, U, V     int     // channel, and row and column inside the K x K window
	X, W        float32 // the window value and the filter weight
	Product     float32 // X·W in float32
	XText       string  // X as FormatNumber writes it
	WText       string  // W as FormatNumber writes it
	ProductText string  // Product as FormatNumber writes it
	Padding     bool    // X is a padding zero outside the input
}

// Text writes the term as a product of two factors, negatives in
// parentheses: "1·(−2)".
func (t Term) Text() string { return factor(t.X) + "·" + factor(t.W) }

// Dot is the arithmetic of one output cell written out: the products of the
// window values with the filter weights, their sum per channel and in all,
// the bias, and the value that lands in the output (slide 15: "the result of
// taking a dot product between the filter and a small chunk of the image
// ... + bias").
//
// Sum and Value are computed by the same float32 operations in the same
// order as nn.Conv2DNaive (one running sum over channel, row, column,
// padding skipped, then + bias), so Value is bit for bit the engine's output
// for the cell. Partial[c] is a separate running sum over channel c alone;
// the partial sums add up to Sum up to float32 rounding, which FormatNumber's
// three decimals hide.
type Dot struct {
	Channels    int       // Cin
	K           int       // the window is K x K per channel
	Terms       []Term    // (Cin, K, K): Terms[(c*K+u)*K+v]
	Partial     []float32 // (Cin): the sum of channel c's products
	PartialText []string  // (Cin): Partial as FormatNumber writes it
	Sum         float32   // the sum of all products
	SumText     string
	Bias        float32
	BiasText    string
	Value       float32 // Sum + Bias: the output cell
	ValueText   string
}

// DotProduct writes out the dot product of a window x with filter weights w
// plus bias. x and w are (Cin, K, K) with cin channels, index (c*K+u)*K+v;
// pad is (K, K), true where the window lies on the padding (those x must be
// 0), or nil when no cell is padding. It panics if the lengths do not fit
// (a programmer error).
func DotProduct(cin int, x, w []float32, pad []bool, bias float32) Dot {
	if cin < 1 || len(x) != len(w) || len(x)%cin != 0 {
		panic(fmt.Sprintf("lesson: dot product of %d window values and %d weights over %d channels", len(x), len(w), cin))
	}
	kk := len(x) / cin
	k := 0
	for k*k < kk {
		k++
	}
	if k*k != kk || (pad != nil && len(pad) != kk) {
		panic(fmt.Sprintf("lesson: %d values per channel is not a square window (padding mask %d)", kk, len(pad)))
	}
	d := Dot{
		Channels:    cin,
		K:           k,
		Terms:       make([]Term, len(x)),
		Partial:     make([]float32, cin),
		PartialText: make([]string, cin),
		Bias:        bias,
	}
	var sum float32
	for c := 0; c < cin; c++ {
		var part float32
		for uv := 0; uv < kk; uv++ {
			i := c*kk + uv
			isPad := pad != nil && pad[uv]
			prod := float32(x[i] * w[i])
			d.Terms[i] = Term{
				C: c, U: uv / k, V: uv % k,
				X: x[i], W: w[i], Product: prod,
				XText: FormatNumber(x[i]), WText: FormatNumber(w[i]), ProductText: FormatNumber(prod),
				Padding: isPad,
			}
			if isPad {
				continue // as nn.Conv2DNaive does: padding adds nothing
			}
			sum += w[i] * x[i]
			part += w[i] * x[i]
		}
		d.Partial[c] = part
		d.PartialText[c] = FormatNumber(part)
	}
	d.Sum = sum
	sum += bias
	d.Value = sum
	d.SumText = FormatNumber(d.Sum)
	d.BiasText = FormatNumber(d.Bias)
	d.ValueText = FormatNumber(d.Value)
	return d
}

// Window is the part of the zero-padded input under the filter for one
// output cell.
type Window struct {
	Row, Col int       // top-left corner in padded coordinates: Row = i·S, Col = j·S
	K        int       // the window is K x K
	Values   []float32 // (Cin, K, K): Values[(c*K+u)*K+v], padding read as 0
	Pad      []bool    // (K, K): Pad[u*K+v] is true where the window lies on the padding
}

// Padding reports whether window cell (u, v) lies on the padding.
func (w Window) Padding(u, v int) bool { return w.Pad[u*w.K+v] }

// WindowAt returns the window of x (Cin, H, W) under a k x k filter with
// padding p and stride s for output cell (i, j). Cells outside the
// window's reach are not checked: a window hanging past the padded input
// reads zeros there and marks them as padding.
func WindowAt(x *tensor.Tensor, k, p, s, i, j int) Window {
	if len(x.Shape) != 3 {
		panic(fmt.Sprintf("lesson: window of input %v, want (Cin, H, W)", x.Shape))
	}
	cin, h, wd := x.Shape[0], x.Shape[1], x.Shape[2]
	win := Window{Row: i * s, Col: j * s, K: k, Values: make([]float32, cin*k*k), Pad: make([]bool, k*k)}
	for u := 0; u < k; u++ {
		for v := 0; v < k; v++ {
			y, xx := win.Row+u-p, win.Col+v-p
			if y < 0 || y >= h || xx < 0 || xx >= wd {
				win.Pad[u*k+v] = true
				continue
			}
			for c := 0; c < cin; c++ {
				win.Values[(c*k+u)*k+v] = x.Data[(c*h+y)*wd+xx]
			}
		}
	}
	return win
}

// CellDot writes out output cell (o, i, j) of the convolution of x
// (Cin, H, W) with filters w (Cout, Cin, K, K) and bias b (Cout, or nil for
// none) at padding p and stride s: the arithmetic behind
// nn.Conv2DNaive(x, w, b, p, s)'s value at (o, i, j).
func CellDot(x, w *tensor.Tensor, b []float32, p, s, o, i, j int) Dot {
	if len(w.Shape) != 4 || len(x.Shape) != 3 || w.Shape[1] != x.Shape[0] {
		panic(fmt.Sprintf("lesson: filters %v do not fit input %v", w.Shape, x.Shape))
	}
	cin, k := w.Shape[1], w.Shape[2]
	win := WindowAt(x, k, p, s, i, j)
	n := cin * k * k
	var bias float32
	if b != nil {
		bias = b[o]
	}
	return DotProduct(cin, win.Values, w.Data[o*n:(o+1)*n], win.Pad, bias)
}

// Line writes the whole dot product on one line, each channel's products in
// parentheses when there is more than one channel:
// "0·(−1) + 0·0 + … + 1·1 = 3, + bias 1 = 4".
func (d Dot) Line() string { return d.line(false) }

// QuestionLine is Line with the sum and the value replaced by "?".
func (d Dot) QuestionLine() string { return d.line(true) }

func (d Dot) line(hidden bool) string {
	var b strings.Builder
	kk := d.K * d.K
	for c := 0; c < d.Channels; c++ {
		if c > 0 {
			b.WriteString(" + ")
		}
		if d.Channels > 1 {
			b.WriteString("(")
		}
		for uv := 0; uv < kk; uv++ {
			if uv > 0 {
				b.WriteString(" + ")
			}
			b.WriteString(d.Terms[c*kk+uv].Text())
		}
		if d.Channels > 1 {
			b.WriteString(")")
		}
	}
	b.WriteString(d.tail(hidden))
	return b.String()
}

// Brief writes the dot product on one short line: the first two products,
// an ellipsis and the last, then the sum, the bias and the value:
// "0·(−1) + 0·0 + … + 1·1 = 3, + bias 1 = 4". With four products or fewer
// it is Line.
func (d Dot) Brief() string {
	if len(d.Terms) <= 4 {
		return d.Line()
	}
	last := d.Terms[len(d.Terms)-1]
	return d.Terms[0].Text() + " + " + d.Terms[1].Text() + " + … + " + last.Text() + d.tail(false)
}

// tail writes " = sum, + bias b = value", with "?" for the sum and the
// value when hidden.
func (d Dot) tail(hidden bool) string {
	sum, val := d.SumText, d.ValueText
	if hidden {
		sum, val = "?", "?"
	}
	return " = " + sum + ", + bias " + d.BiasText + " = " + val
}

// Lines writes the dot product over several lines, one line per row of the
// window; with several channels each channel gets a heading and its partial
// sum, and a line adds the partial sums:
//
//	0·(−1) + 0·0 + 0·1
//	+ 0·(−2) + 1·0 + 1·2
//	+ 0·(−1) + 1·0 + 1·1
//	= 3
//	+ bias 1 = 4
func (d Dot) Lines() []string { return d.lines(false) }

// Question is Lines with the sums and the value replaced by "?", for a
// student asked to predict them.
func (d Dot) Question() []string { return d.lines(true) }

func (d Dot) lines(hidden bool) []string {
	q := func(s string) string {
		if hidden {
			return "?"
		}
		return s
	}
	var out []string
	indent := ""
	if d.Channels > 1 {
		indent = "  "
	}
	for c := 0; c < d.Channels; c++ {
		if d.Channels > 1 {
			out = append(out, fmt.Sprintf("channel %d:", c))
		}
		for u := 0; u < d.K; u++ {
			var row []string
			for v := 0; v < d.K; v++ {
				row = append(row, d.Terms[(c*d.K+u)*d.K+v].Text())
			}
			lead := indent
			if u > 0 {
				lead += "+ "
			}
			out = append(out, lead+strings.Join(row, " + "))
		}
		if d.Channels > 1 {
			out = append(out, indent+"= "+q(d.PartialText[c]))
		}
	}
	if d.Channels > 1 {
		parts := make([]string, d.Channels)
		for c := range parts {
			parts[c] = q(d.PartialText[c])
		}
		out = append(out, "sum over channels: "+strings.Join(parts, " + ")+" = "+q(d.SumText))
	} else {
		out = append(out, "= "+q(d.SumText))
	}
	return append(out, "+ bias "+d.BiasText+" = "+q(d.ValueText))
}

// Reason says in words how the value comes about, for the answer to a
// prediction: "the sum of the nine products is 3, plus bias 1 is 4" ("the
// one product is 3, ..." for a 1x1 filter), or
// with channels "the 27 products sum to 1 + 2 + 0 = 3 over the three
// channels, plus bias 1 is 4".
func (d Dot) Reason() string {
	tail := ", plus bias " + d.BiasText + " is " + d.ValueText
	if d.Channels == 1 {
		if len(d.Terms) == 1 {
			return "the one product is " + d.SumText + tail
		}
		return "the sum of the " + countWord(len(d.Terms)) + " products is " + d.SumText + tail
	}
	return fmt.Sprintf("the %s products sum to %s = %s over the %s channels%s",
		countWord(len(d.Terms)), strings.Join(d.PartialText, " + "), d.SumText, countWord(d.Channels), tail)
}
