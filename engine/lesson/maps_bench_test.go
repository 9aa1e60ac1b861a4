package lesson

import "testing"

// BenchmarkMapsPadMove measures one pointer move on the colour pad: a brush
// segment and the six maps' convolution (the stack and the composition
// check wait for the end of the stroke).
func BenchmarkMapsPadMove(b *testing.B) {
	m := newTestMaps()
	m.SetInput(PadColour)
	m.PadDown(3, 3)
	x := float32(3)
	for b.Loop() {
		if x += 0.5; x > 30 {
			x = 3
		}
		m.PadMove(x, 10)
	}
}

// BenchmarkMapsInput measures choosing an input: the maps, slide 23's stack
// and the composition check.
func BenchmarkMapsInput(b *testing.B) {
	m := newTestMaps()
	ids := []string{"picture:0", "picture:1"}
	for i := 0; b.Loop(); i++ {
		m.SetInput(ids[i%2])
	}
}

// BenchmarkMapsState measures the state snapshot, link included.
func BenchmarkMapsState(b *testing.B) {
	m := newTestMaps()
	for b.Loop() {
		m.State()
	}
}
