package data

import (
	"fmt"
	"math"
	"math/rand"
)

// PictureLicence is the licence note every picture of Pictures carries.
const PictureLicence = "Drawn by ConvLab's own code (engine/data/pictures.go) from shapes and " +
	"gradients; no photograph or outside image is used, so it is under ConvLab's licence."

// Picture is one of the photo-like pictures the activation-maps lesson
// offers as input.
type Picture struct {
	Name    string  // what it shows, e.g. "house"
	Licence string  // where it comes from and under which terms
	Side    int     // height and width in pixels
	Pixels  []uint8 // (3, Side, Side): channel c, row y, column x at (c*Side+y)*Side+x
}

// scene gives the colour (r, g, b in [0, 1]) at a point of the unit
// square, u to the right and v down.
type scene func(u, v float64) [3]float64

// scenes lists the pictures in the order Pictures returns them.
func scenes() []struct {
	name string
	draw scene
} {
	return []struct {
		name string
		draw scene
	}{
		{"house", house},
		{"sunset", sunset},
		{"checkered floor", checkeredFloor},
		{"zebra", zebra},
		{"flower", flower},
		{"text", text},
	}
}

// Pictures returns the photo-like pictures at 32 x 32, the size of the
// lecture's example input.
func Pictures() []Picture { return PicturesAt(32) }

// PicturesAt returns the photo-like pictures drawn at side x side pixels.
// Every pixel averages 4 x 4 samples of the scene, so edges are smooth as
// in a photograph, and a faint fixed grain is added. The result is the
// same on every call. side must be at least 8.
func PicturesAt(side int) []Picture {
	if side < 8 {
		panic(fmt.Sprintf("data.PicturesAt: side %d, want at least 8", side))
	}
	const ss = 4 // samples per pixel along each axis
	var out []Picture
	for i, sc := range scenes() {
		grain := rand.New(rand.NewSource(int64(i + 1)))
		img := make([]float64, 3*side*side) // (3, side, side)
		for y := range side {
			for x := range side {
				var sum [3]float64
				for sy := range ss {
					for sx := range ss {
						u := (float64(x) + (float64(sx)+0.5)/ss) / float64(side)
						v := (float64(y) + (float64(sy)+0.5)/ss) / float64(side)
						c := sc.draw(u, v)
						for k := range 3 {
							sum[k] += c[k]
						}
					}
				}
				g := 0.012 * grain.NormFloat64()
				for k := range 3 {
					img[(k*side+y)*side+x] = sum[k]/(ss*ss) + g
				}
			}
		}
		p := Picture{Name: sc.name, Licence: PictureLicence, Side: side, Pixels: make([]uint8, len(img))}
		quantise(p.Pixels, img)
		out = append(out, p)
	}
	return out
}

// PictureSet returns pics, which must share one side, as a set with one
// class per picture, named after it; picture i has label i.
func PictureSet(pics []Picture) *Set {
	s := &Set{Name: "pictures", C: 3}
	for i, p := range pics {
		if i == 0 {
			s.H, s.W = p.Side, p.Side
		}
		if p.Side != s.H || len(p.Pixels) != 3*p.Side*p.Side {
			panic(fmt.Sprintf("data.PictureSet: picture %q is %d pixels of side %d, want side %d",
				p.Name, len(p.Pixels), p.Side, s.H))
		}
		s.Classes = append(s.Classes, p.Name)
		s.Labels = append(s.Labels, uint8(i))
		s.Pixels = append(s.Pixels, p.Pixels...)
	}
	return s
}

// Shape and colour helpers for the scenes.

func rgb(hex uint32) [3]float64 {
	return [3]float64{float64(hex>>16&255) / 255, float64(hex>>8&255) / 255, float64(hex&255) / 255}
}

func mix(a, b [3]float64, t float64) [3]float64 {
	t = math.Max(0, math.Min(1, t))
	return [3]float64{a[0] + (b[0]-a[0])*t, a[1] + (b[1]-a[1])*t, a[2] + (b[2]-a[2])*t}
}

func inRect(u, v, u0, v0, u1, v1 float64) bool { return u >= u0 && u < u1 && v >= v0 && v < v1 }

func inDisc(u, v, cu, cv, r float64) bool { return (u-cu)*(u-cu)+(v-cv)*(v-cv) < r*r }

func inEllipse(u, v, cu, cv, ru, rv float64) bool {
	du, dv := (u-cu)/ru, (v-cv)/rv
	return du*du+dv*dv < 1
}

// nearSegment reports whether (u, v) lies within half a width w of the
// segment from (u0, v0) to (u1, v1).
func nearSegment(u, v, u0, v0, u1, v1, w float64) bool {
	du, dv := u1-u0, v1-v0
	t := ((u-u0)*du + (v-v0)*dv) / (du*du + dv*dv)
	t = math.Max(0, math.Min(1, t))
	eu, ev := u-(u0+t*du), v-(v0+t*dv)
	return eu*eu+ev*ev < w*w/4
}

// The scenes.

// house: a red house with a dark roof, two lit cross-barred windows and a
// door, on grass under a blue sky with a sun.
func house(u, v float64) [3]float64 {
	switch {
	case inRect(u, v, 0.60, 0.36, 0.66, 0.50) && v > 0.36: // chimney
		return rgb(0x5a4a42)
	case v >= 0.30 && v < 0.48 && math.Abs(u-0.45) < (v-0.30)/0.18*0.30: // roof
		return mix(rgb(0x4a2320), rgb(0x6e3327), (v-0.30)/0.18)
	case inRect(u, v, 0.19, 0.48, 0.71, 0.84): // walls
		switch {
		case inRect(u, v, 0.40, 0.62, 0.50, 0.84): // door
			return rgb(0x4b3020)
		case inRect(u, v, 0.24, 0.55, 0.35, 0.68) || inRect(u, v, 0.55, 0.55, 0.66, 0.68): // windows
			if math.Abs(v-0.615) < 0.012 || math.Abs(u-0.295) < 0.012 || math.Abs(u-0.605) < 0.012 {
				return rgb(0xe8e0d0) // window bars
			}
			return rgb(0xf5d66b)
		}
		return rgb(0xb5483a)
	case v >= 0.80: // grass, darker towards the viewer
		return mix(rgb(0x6aa84f), rgb(0x3b6e2a), (v-0.80)/0.20)
	case inDisc(u, v, 0.84, 0.15, 0.08):
		return rgb(0xfff2a8)
	}
	return mix(rgb(0x4f8fd6), rgb(0xb9dcf2), v/0.80) // sky
}

// sunset: an orange-to-violet sky, a sun on the horizon and the sea below
// with the sun's broken reflection.
func sunset(u, v float64) [3]float64 {
	const horizon = 0.58
	if v < horizon {
		if inDisc(u, v, 0.5, horizon, 0.16) {
			return mix(rgb(0xfff1b0), rgb(0xffb347), (horizon-v)/0.16*0.3+math.Hypot(u-0.5, v-horizon)/0.16*0.7)
		}
		t := v / horizon
		if t < 0.5 {
			return mix(rgb(0x3b2a6b), rgb(0xc2456b), t/0.5)
		}
		return mix(rgb(0xc2456b), rgb(0xffa24a), (t-0.5)/0.5)
	}
	t := (v - horizon) / (1 - horizon)
	sea := mix(rgb(0x5a3a5e), rgb(0x1d2440), t)
	// Reflection: horizontal strokes whose width shrinks away from the sun's
	// column and whose gaps grow towards the viewer.
	wave := math.Sin(2 * math.Pi * (v - horizon) * (14 + 10*t) / (0.25 + t))
	if math.Abs(u-0.5) < 0.16*(1-0.5*t) && wave > 0.2 {
		return mix(sea, rgb(0xffc36a), 0.85-0.5*t)
	}
	return sea
}

// checkeredFloor: a black-and-white checkered floor in perspective meeting
// a plain wall at the horizon.
func checkeredFloor(u, v float64) [3]float64 {
	const horizon = 0.38
	if v < horizon {
		return mix(rgb(0xd9cdb8), rgb(0xb8a88e), v/horizon) // wall
	}
	// Ground-plane coordinates of the point seen at (u, v).
	z := 0.35 / (v - horizon)
	x := (u - 0.5) * z
	fog := math.Min(1, z/6)
	light := (int(math.Floor(x*2.2))+int(math.Floor(z*2.2)))%2 == 0
	tile := rgb(0x202020)
	if light {
		tile = rgb(0xf0f0f0)
	}
	return mix(tile, rgb(0x9a9a9a), fog)
}

// zebra: a striped animal (body, neck, head with a dark muzzle, ears,
// legs with hooves, tail) standing on dry grass under a hazy sky.
func zebra(u, v float64) [3]float64 {
	black, white := rgb(0x151515), rgb(0xf2efe6)
	// stripes is black or white by the sign of a wave along (du, dv) with
	// the given number of stripes per unit length.
	stripes := func(du, dv, freq, shift float64) [3]float64 {
		if math.Sin(2*math.Pi*((u*du+v*dv)*freq+shift)) > 0 {
			return black
		}
		return white
	}
	// Neck and head run along axes; stripes cross them.
	const nu0, nv0, nu1, nv1 = 0.64, 0.46, 0.76, 0.24 // neck
	const hu0, hv0, hu1, hv1 = 0.75, 0.21, 0.90, 0.37 // head, nose last
	switch {
	case nearSegment(u, v, 0.20, 0.45, 0.15, 0.66, 0.025): // tail
		return black
	case nearSegment(u, v, hu0, hv0, hu1, hv1, 0.10): // head
		if (u-hu0)*(hu1-hu0)+(v-hv0)*(hv1-hv0) > 0.75*((hu1-hu0)*(hu1-hu0)+(hv1-hv0)*(hv1-hv0)) {
			return rgb(0x2a2522) // muzzle
		}
		return stripes(0.73, -0.68, 18, 0)
	case nearSegment(u, v, 0.72, 0.19, 0.70, 0.10, 0.035) || nearSegment(u, v, 0.76, 0.18, 0.77, 0.09, 0.035): // ears
		return rgb(0x3a3430)
	case nearSegment(u, v, nu0, nv0, nu1, nv1, 0.13): // neck
		return stripes(0.48, -0.88, 14, 0.2)
	case inEllipse(u, v, 0.44, 0.50, 0.25, 0.14): // body
		return stripes(1, 0, 9, 0.4*math.Sin(2*math.Pi*1.5*v)) // gently wavy
	}
	for _, lu := range []float64{0.27, 0.35, 0.54, 0.62} {
		if nearSegment(u, v, lu, 0.56, lu+0.01, 0.88, 0.055) {
			if v > 0.86 {
				return black // hoof
			}
			return stripes(0, 1, 22, 0)
		}
	}
	if v > 0.62 {
		return mix(rgb(0xc9b45a), rgb(0x9c8a3c), (v-0.62)/0.38) // dry grass
	}
	return mix(rgb(0x8fc1e3), rgb(0xe6e2c3), v/0.62) // hazy sky
}

// flower: a pink six-petalled flower with a yellow heart on a green stem
// and leaf, against a soft green background.
func flower(u, v float64) [3]float64 {
	cu, cv := 0.5, 0.40
	r := math.Hypot(u-cu, v-cv)
	theta := math.Atan2(v-cv, u-cu)
	petal := 0.20 + 0.09*math.Cos(6*theta)
	switch {
	case r < 0.08:
		return mix(rgb(0xffd23f), rgb(0xd99a00), r/0.08)
	case r < petal:
		return mix(rgb(0xf7a8c8), rgb(0xd6336c), r/petal)
	case nearSegment(u, v, 0.5, 0.55, 0.52, 1.0, 0.04):
		return rgb(0x2f7d32)
	case inEllipse(u-0.62, v-0.75, 0, 0, 0.11, 0.045): // leaf
		return rgb(0x4caf50)
	}
	return mix(rgb(0xa8d5a2), rgb(0x5e9c59), math.Hypot(u-0.5, v-0.5)*1.4)
}

// text: the word "CNN" in dark ink on ruled paper with a red margin line.
func text(u, v float64) [3]float64 {
	const w = 0.07 // stroke width
	ink := false
	// C: an open arc.
	if r := math.Hypot(u-0.24, v-0.5); math.Abs(r-0.14) < w/2 {
		if a := math.Atan2(v-0.5, u-0.24); math.Abs(a) > 0.8 {
			ink = true
		}
	}
	// N, N: two uprights and a diagonal each.
	for _, x := range []float64{0.44, 0.72} {
		ink = ink || nearSegment(u, v, x, 0.36, x, 0.64, w) ||
			nearSegment(u, v, x+0.16, 0.36, x+0.16, 0.64, w) ||
			nearSegment(u, v, x, 0.36, x+0.16, 0.64, w)
	}
	switch {
	case ink:
		return rgb(0x1f2a44)
	case math.Abs(u-0.08) < 0.01:
		return rgb(0xe06666) // margin
	case math.Mod(v+0.02, 0.14) < 0.018:
		return rgb(0x9fc5e8) // ruled lines
	}
	return rgb(0xfbf8ef)
}
