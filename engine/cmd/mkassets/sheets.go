package main

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math/rand"
	"os"
	"path/filepath"

	"convlab/assets"
	"convlab/engine/data"
	"convlab/engine/nn"
	"convlab/engine/raster"
	"convlab/engine/tensor"
)

// writeSheets writes PNG contact sheets of the data sets into dir, for
// people to look at: every picture at 32 and 64 pixels, samples of each
// colour class and each digit, and edge-filter maps of the pictures.
func writeSheets(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	bg := color.RGBA{255, 255, 255, 255}

	// Pictures: the 32-pixel row scaled 6 times above the 64-pixel row
	// scaled 3 times, so both show at 192 pixels.
	var pics []image.Image
	for _, p := range data.Pictures() {
		pics = append(pics, raster.Scale(setImage(data.PictureSet([]data.Picture{p}), 0), 6))
	}
	for _, p := range data.PicturesAt(64) {
		pics = append(pics, raster.Scale(setImage(data.PictureSet([]data.Picture{p}), 0), 3))
	}
	sheets := map[string]image.Image{"pictures.png": raster.Mosaic(pics, len(pics)/2, 8, bg)}

	// Colour set: one row of ten samples per class.
	cs := data.Colour(60, rand.New(rand.NewSource(1)))
	sheets["colour.png"] = raster.Mosaic(byClass(cs, 10, 4), 10, 4, bg)

	// Digits: one row of ten per class from the training subset.
	train, _, err := data.ParseMNIST([]byte(assets.MNIST))
	if err != nil {
		return err
	}
	sheets["mnist.png"] = raster.Mosaic(byClass(train, 10, 3), 10, 4, bg)

	// Edge maps: each picture in grey, convolved with Sobel x and Sobel y,
	// each map on its own symmetric range, with a colour bar.
	maps, err := edgeMaps(data.Pictures())
	if err != nil {
		return err
	}
	sheets["edges.png"] = maps

	for name, img := range sheets {
		path := filepath.Join(dir, name)
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		if err := png.Encode(f, img); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		fmt.Printf("wrote %s (%dx%d)\n", path, img.Bounds().Dx(), img.Bounds().Dy())
	}
	return nil
}

// setImage returns image i of s as an RGBA picture (grey when s has one
// channel).
func setImage(s *data.Set, i int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, s.W, s.H))
	n := s.C * s.H * s.W
	px := s.Pixels[i*n : (i+1)*n]
	for y := range s.H {
		for x := range s.W {
			c := func(ch int) uint8 { return px[(min(ch, s.C-1)*s.H+y)*s.W+x] }
			img.SetRGBA(x, y, color.RGBA{c(0), c(1), c(2), 255})
		}
	}
	return img
}

// byClass returns up to per images of each class of s, class by class,
// scaled by factor.
func byClass(s *data.Set, per, factor int) []image.Image {
	var out []image.Image
	for class := range s.Classes {
		n := 0
		for i := 0; i < s.Len() && n < per; i++ {
			if int(s.Labels[i]) == class {
				out = append(out, raster.Scale(setImage(s, i), factor))
				n++
			}
		}
	}
	return out
}

// edgeMaps lays out, for each picture, the picture and its Sobel x and
// Sobel y maps (grey input in [0, 1], no padding, so 30 x 30), followed by
// a colour bar for the last map.
func edgeMaps(pics []data.Picture) (image.Image, error) {
	w := tensor.FromData([]float32{ // (2, 1, 3, 3)
		-1, 0, 1,
		-2, 0, 2,
		-1, 0, 1,

		-1, -2, -1,
		0, 0, 0,
		1, 2, 1,
	}, 2, 1, 3, 3)
	var cells []image.Image
	var lo, hi float32
	for _, p := range pics {
		side := p.Side
		grey := make([]float32, side*side) // (1, side, side)
		for k := range grey {
			grey[k] = (float32(p.Pixels[k]) + float32(p.Pixels[side*side+k]) + float32(p.Pixels[2*side*side+k])) / (3 * 255)
		}
		out, err := nn.Conv2DNaive(tensor.FromData(grey, 1, side, side), w, nil, 0, 1)
		if err != nil {
			return nil, err
		}
		ho, wo := out.Shape[1], out.Shape[2]
		cells = append(cells, raster.Scale(setImage(data.PictureSet([]data.Picture{p}), 0), 4))
		for o := range 2 {
			m := out.Data[o*ho*wo : (o+1)*ho*wo]
			lo, hi = raster.SymmetricRange(m)
			cells = append(cells, raster.Scale(raster.HeatMap(m, wo, ho, lo, hi, raster.DivergingMap), 4))
		}
	}
	bar, _ := raster.ColourBar(lo, hi, raster.DivergingMap, 128, 12)
	cells = append(cells, raster.Scale(bar, 1))
	return raster.Mosaic(cells, 6, 6, color.RGBA{255, 255, 255, 255}), nil
}
