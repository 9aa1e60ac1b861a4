package raster_test

import (
	"fmt"

	"convlab/engine/raster"
)

// An activation map with one negative, one zero and two positive values,
// drawn on the diverging scale with its own symmetric range; each pixel is
// printed as its hex colour.
func ExampleHeatMap() {
	act := []float32{ // (2, 2)
		-3, 0,
		1.5, 3,
	}
	lo, hi := raster.SymmetricRange(act)
	img := raster.HeatMap(act, 2, 2, lo, hi, raster.DivergingMap)
	fmt.Println("range", lo, hi)
	for y := range 2 {
		for x := range 2 {
			c := img.RGBAAt(x, y)
			fmt.Printf(" %02x%02x%02x", c.R, c.G, c.B)
		}
		fmt.Println()
	}
	// Output:
	// range -3 3
	//  053061 f7f7f7
	//  e58368 67001f
}

// A colour bar for a shared range of −0.37..0.37 and where its labels go.
func ExampleColourBar() {
	_, ticks := raster.ColourBar(-0.37, 0.37, raster.DivergingMap, 100, 8)
	for _, t := range ticks {
		fmt.Printf("%5.2f at %5.1f px\n", t.Value, t.Pos)
	}
	// Output:
	// -0.37 at   0.0 px
	// -0.20 at  23.0 px
	//  0.00 at  50.0 px
	//  0.20 at  77.0 px
	//  0.37 at 100.0 px
}
