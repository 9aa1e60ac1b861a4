package raster

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"strings"
	"testing"
)

func hex(c color.RGBA) string { return fmt.Sprintf("%02x%02x%02x", c.R, c.G, c.B) }

var nan = float32(math.NaN())
var inf = float32(math.Inf(1))

func TestDiverging(t *testing.T) {
	for _, c := range []struct {
		v, limit float32
		want     string
	}{
		{0, 1, "f7f7f7"},  // zero is the neutral centre
		{-1, 1, "053061"}, // the ends of ColorBrewer RdBu
		{1, 1, "67001f"},
		{0.2, 1, "fddbc7"}, // exactly on the first stop above the centre
		{-0.4, 1, "92c5de"},
		{1, 2, "e58368"}, // halfway between f4a582 and d6604d, rounded half up
		{5, 1, "67001f"}, // beyond the limit: the end colour
		{-inf, 1, "053061"},
		{inf, inf, "67001f"},
		{0, 0, "f7f7f7"}, // a zero limit: zero white, others by sign
		{3, 0, "67001f"},
		{-3, 0, "053061"},
		{2, nan, "67001f"},
		{nan, 1, "808080"}, // NaN is the NaN grey
	} {
		if got := hex(Diverging(c.v, c.limit)); got != c.want {
			t.Errorf("Diverging(%v, %v) = %s, want %s", c.v, c.limit, got, c.want)
		}
	}
	if a, b := hex(DivergingMap(0, -1, 3)), "f7f7f7"; a != b {
		t.Errorf("DivergingMap(0, −1, 3) = %s, want %s: zero stays white whatever the range", a, b)
	}
	if a, b := DivergingMap(-3, -1, 3), Diverging(-3, 3); a != b {
		t.Errorf("DivergingMap(−3, −1, 3) = %v, want Diverging(−3, 3) = %v", a, b)
	}
}

func TestSequential(t *testing.T) {
	for _, c := range []struct {
		v, lo, hi float32
		want      string
	}{
		{0, 0, 1, "440154"}, // the ends of viridis
		{1, 0, 1, "fde725"},
		{0.5, 0, 1, "21908c"},
		{15, 10, 20, "21908c"},
		{-1, 0, 1, "440154"}, // outside: the end colours
		{inf, 0, 1, "fde725"},
		{2, 2, 2, "440154"}, // an empty range: low up to hi, high above
		{3, 2, 2, "fde725"},
		{nan, 0, 1, "808080"},
	} {
		if got := hex(Sequential(c.v, c.lo, c.hi)); got != c.want {
			t.Errorf("Sequential(%v, %v, %v) = %s, want %s", c.v, c.lo, c.hi, got, c.want)
		}
	}
}

// TestNaNColourIsDistinct checks that no value drawn by either map can be
// mistaken for NaN: every colour differs from the NaN grey by at least 40
// in some channel.
func TestNaNColourIsDistinct(t *testing.T) {
	g := NaNColour()
	far := func(c color.RGBA) bool {
		d := func(a, b uint8) int { return max(int(a)-int(b), int(b)-int(a)) }
		return max(d(c.R, g.R), d(c.G, g.G), d(c.B, g.B)) >= 40
	}
	for i := -500; i <= 500; i++ {
		v := float32(i) / 500
		if c := Diverging(v, 1); !far(c) {
			t.Errorf("Diverging(%v, 1) = %s is too close to the NaN grey", v, hex(c))
		}
		if c := Sequential(v, -1, 1); !far(c) {
			t.Errorf("Sequential(%v, −1, 1) = %s is too close to the NaN grey", v, hex(c))
		}
	}
}

func TestRanges(t *testing.T) {
	for _, c := range []struct {
		name           string
		maps           [][]float32
		lo, hi, sl, sh float32
	}{
		{"one map", [][]float32{{-1, 3, 2}}, -1, 3, -3, 3},
		{"shared", [][]float32{{-1, 0.5}, {2}, {-4, 0}}, -4, 2, -4, 4},
		{"all zero", [][]float32{{0, 0, 0}}, 0, 0, 0, 0},
		{"NaN and Inf skipped", [][]float32{{nan, inf, -inf, 0.25, -0.5}}, -0.5, 0.25, -0.5, 0.5},
		{"only NaN", [][]float32{{nan, nan}}, 0, 0, 0, 0},
		{"nothing", nil, 0, 0, 0, 0},
	} {
		lo, hi := Range(c.maps...)
		sl, sh := SymmetricRange(c.maps...)
		if lo != c.lo || hi != c.hi || sl != c.sl || sh != c.sh {
			t.Errorf("%s: Range %v..%v, SymmetricRange %v..%v; want %v..%v and %v..%v",
				c.name, lo, hi, sl, sh, c.lo, c.hi, c.sl, c.sh)
		}
		if math.Signbit(float64(sl)) && sl == 0 {
			t.Errorf("%s: SymmetricRange gave −0", c.name)
		}
	}
}

// picture renders img as one letter per pixel, using the key's names for
// colours; a colour missing from the key is "?".
func picture(img image.Image, key map[string]color.RGBA) string {
	name := map[color.RGBA]string{}
	for k, c := range key {
		name[c] = k
	}
	var b strings.Builder
	r := img.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		b.WriteString("\n")
		for x := r.Min.X; x < r.Max.X; x++ {
			c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
			n, ok := name[c]
			if !ok {
				n = "?"
			}
			b.WriteString(n)
		}
	}
	return b.String()
}

func rgba(h uint32) color.RGBA { return color.RGBA{uint8(h >> 16), uint8(h >> 8), uint8(h), 255} }

func TestHeatMapDiverging(t *testing.T) {
	values := []float32{ // (2, 4)
		-2, 0, 2, 4,
		1, nan, -1, -0.0,
	}
	img := HeatMap(values, 4, 2, -2, 2, DivergingMap)
	// The colours, worked out from the RdBu stops: ±1 of a limit 2 lie
	// halfway between two stops.
	key := map[string]color.RGBA{
		"B": rgba(0x053061),       // −2: the blue end
		"b": {107, 172, 209, 255}, // −1: between 4393c3 and 92c5de
		"W": rgba(0xf7f7f7),       // 0
		"r": {229, 131, 104, 255}, // +1: between f4a582 and d6604d
		"R": rgba(0x67001f),       // +2, and 4 beyond the limit
		"N": {128, 128, 128, 255}, // NaN
	}
	want := `
BWRR
rNbW`
	if got := picture(img, key); got != want {
		t.Errorf("heat map:%s\nwant:%s", got, want)
	}
	if img.Bounds() != image.Rect(0, 0, 4, 2) {
		t.Errorf("bounds %v, want 4x2", img.Bounds())
	}
}

func TestHeatMapSequential(t *testing.T) {
	values := []float32{0, 5, 10} // (1, 3)
	key := map[string]color.RGBA{"l": rgba(0x440154), "m": rgba(0x21908c), "h": rgba(0xfde725)}
	if got, want := picture(HeatMap(values, 3, 1, 0, 10, Sequential), key), "\nlmh"; got != want {
		t.Errorf("heat map:%s\nwant:%s", got, want)
	}
}

func TestHeatMapPanicsOnSize(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "5 values for a 2x3 map") {
			t.Errorf("panic %v, want one naming both sizes", r)
		}
	}()
	HeatMap(make([]float32, 5), 3, 2, 0, 1, Sequential)
}

func TestFilterImageColour(t *testing.T) {
	w := []float32{ // (3, 2, 2); the largest |weight| is 0.5
		0.5, 0, // red
		-0.5, 0.25,

		0, 0, // green
		0, 0,

		-0.25, 0.5, // blue
		0, -0.5,
	}
	img := FilterImage(w, 3, 2)
	// 127.5 + 127.5*w/0.5, rounded half up: 0.5 -> 255, 0.25 -> 191.25 -> 191,
	// 0 -> 128, −0.25 -> 63.75 -> 64, −0.5 -> 0.
	want := [][]color.RGBA{
		{{255, 128, 64, 255}, {128, 128, 255, 255}},
		{{0, 128, 128, 255}, {191, 128, 0, 255}},
	}
	for y, row := range want {
		for x, c := range row {
			if got := img.RGBAAt(x, y); got != c {
				t.Errorf("pixel (%d, %d) = %v, want %v", x, y, got, c)
			}
		}
	}
	// Normalised per filter: ten times the weights draw the same picture.
	big := make([]float32, len(w))
	for i := range w {
		big[i] = 10 * w[i]
	}
	for i := range 4 {
		if got := FilterImage(big, 3, 2).RGBAAt(i%2, i/2); got != img.RGBAAt(i%2, i/2) {
			t.Errorf("pixel %d: ×10 filter gives %v, filter gives %v", i, got, img.RGBAAt(i%2, i/2))
		}
	}
	// A shared limit twice as large halves the excursions.
	if got := FilterImageLimit(w, 3, 2, 1).RGBAAt(0, 0); got != (color.RGBA{191, 128, 96, 255}) {
		t.Errorf("limit 1: pixel (0, 0) = %v, want {191 128 96 255}", got)
	}
	// All zero: grey. A NaN weight: that pixel magenta, the rest normalised
	// by the finite weights.
	if got := FilterImage(make([]float32, 12), 3, 2).RGBAAt(1, 1); got != (color.RGBA{128, 128, 128, 255}) {
		t.Errorf("zero filter pixel = %v, want mid-grey", got)
	}
	w[4] = nan // green of pixel (0, 0)
	img = FilterImage(w, 3, 2)
	if got := img.RGBAAt(0, 0); got != NaNFilterColour() {
		t.Errorf("NaN pixel = %v, want %v", got, NaNFilterColour())
	}
	if got := img.RGBAAt(1, 1); got != (color.RGBA{191, 128, 0, 255}) {
		t.Errorf("pixel (1, 1) beside a NaN = %v, want {191 128 0 255}", got)
	}
}

func TestFilterImageGrey(t *testing.T) {
	w := []float32{ // (1, 2, 2)
		-4, 0,
		2, 4,
	}
	key := map[string]color.RGBA{"B": rgba(0x053061), "W": rgba(0xf7f7f7), "r": {229, 131, 104, 255}, "R": rgba(0x67001f)}
	if got, want := picture(FilterImage(w, 1, 2), key), "\nBW\nrR"; got != want {
		t.Errorf("single-channel filter:%s\nwant:%s", got, want)
	}
	// Two channels: side by side, a transparent column between, one limit.
	w2 := []float32{ // (2, 2, 2)
		-4, 0,
		0, 0,

		4, 0,
		0, 2,
	}
	key["."] = color.RGBA{}
	if got, want := picture(FilterImage(w2, 2, 2), key), "\nBW.RW\nWW.Wr"; got != want {
		t.Errorf("two-channel filter:%s\nwant:%s", got, want)
	}
}

func TestMosaicAndScale(t *testing.T) {
	red := color.RGBA{255, 0, 0, 255}
	blue := color.RGBA{0, 0, 255, 255}
	bg := color.RGBA{255, 255, 255, 255}
	square := func(side int, c color.RGBA) image.Image {
		return Scale(HeatMap([]float32{1}, 1, 1, 0, 1, func(float32, float32, float32) color.RGBA { return c }), side)
	}
	img := Mosaic([]image.Image{square(2, red), square(1, blue), square(2, blue)}, 2, 1, bg)
	key := map[string]color.RGBA{"R": red, "B": blue, ".": bg}
	want := `
RR.B.
RR...
.....
BB...
BB...`
	if got := picture(img, key); got != want {
		t.Errorf("mosaic:%s\nwant:%s", got, want)
	}
}

func TestColourBarAndTicks(t *testing.T) {
	img, ticks := ColourBar(-1, 1, DivergingMap, 4, 2)
	// Pixel centres sit at −0.75, −0.25, 0.25, 0.75.
	for x, v := range []float32{-0.75, -0.25, 0.25, 0.75} {
		for y := range 2 {
			if got, want := img.RGBAAt(x, y), Diverging(v, 1); got != want {
				t.Errorf("bar pixel (%d, %d) = %v, want Diverging(%v) = %v", x, y, got, v, want)
			}
		}
	}
	want := []Tick{{-1, 0}, {-0.5, 1}, {0, 2}, {0.5, 3}, {1, 4}}
	if fmt.Sprint(ticks) != fmt.Sprint(want) {
		t.Errorf("ticks %v, want %v", ticks, want)
	}
	// Vertical: hi at the top, positions from the bottom.
	img, ticks = ColourBar(0, 10, Sequential, 1, 5)
	if got := hex(img.RGBAAt(0, 0)); got != hex(Sequential(9, 0, 10)) {
		t.Errorf("top pixel %s, want the colour of 9", got)
	}
	if fmt.Sprint(ticks) != "[{0 0} {2 1} {4 2} {6 3} {8 4} {10 5}]" { // 2 is the value 2, 1 pixel up
		t.Errorf("vertical ticks %v", ticks)
	}
	// An empty range: one colour, one tick in the middle.
	_, ticks = ColourBar(0, 0, DivergingMap, 6, 1)
	if fmt.Sprint(ticks) != "[{0 3}]" {
		t.Errorf("empty-range ticks %v", ticks)
	}
	for _, c := range []struct {
		lo, hi float32
		want   string
	}{
		{-0.37, 0.37, "[-0.37 -0.2 0 0.2 0.37]"},
		{0, 7.3, "[0 2 4 6 7.3]"},
		{0.1, 0.9, "[0.1 0.2 0.4 0.6 0.8 0.9]"},
		{-3, 120, "[-3 50 100 120]"}, // 0 would crowd −3
		{0, 10, "[0 2 4 6 8 10]"},
		{-1e-5, 1e-5, "[-1e-05 -5e-06 0 5e-06 1e-05]"},
		{1, 1, "[]"},
		{0, inf, "[]"},
	} {
		if got := fmt.Sprint(Ticks(c.lo, c.hi, 5)); got != c.want {
			t.Errorf("Ticks(%v, %v, 5) = %s, want %s", c.lo, c.hi, got, c.want)
		}
	}
}
