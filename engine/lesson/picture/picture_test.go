package picture

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"

	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"
)

// Colours of the test pictures, one letter each.
var pictureInks = map[byte]color.NRGBA{
	'R': {220, 30, 40, 255},
	'G': {20, 160, 60, 255},
	'B': {30, 60, 210, 255},
	'W': {255, 255, 255, 255},
	'K': {0, 0, 0, 255},
	'Y': {240, 200, 20, 255},
}

// paint returns a picture drawn from rows of letters (pictureInks), each
// letter a cell x cell block of pixels.
func paint(cell int, rows ...string) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, len(rows[0])*cell, len(rows)*cell))
	for y := range img.Rect.Dy() {
		for x := range img.Rect.Dx() {
			img.SetNRGBA(x, y, pictureInks[rows[y/cell][x/cell]])
		}
	}
	return img
}

// letters describes a decoded (3, 32, 32) picture as rows of letters, one
// per block x block square, after checking that each square is one colour
// within tol of a pictureInk.
func letters(t *testing.T, pix []uint8, block, tol int) string {
	t.Helper()
	const n = Side
	var sb strings.Builder
	for by := 0; by < n; by += block {
		for bx := 0; bx < n; bx += block {
			var got byte = '?'
			for y := by; y < by+block; y++ {
				for x := bx; x < bx+block; x++ {
					l := inkOf(pix, x, y, tol)
					if got == '?' && y == by && x == bx {
						got = l
					} else if l != got {
						t.Errorf("the square at (%d, %d) is not one colour: %c at (%d, %d) after %c", bx, by, l, x, y, got)
						got = '!'
					}
				}
			}
			sb.WriteByte(got)
		}
		sb.WriteByte('\n')
	}
	return sb.String()
}

// inkOf names the pictureInk within tol of pixel (x, y), or '?'.
func inkOf(pix []uint8, x, y, tol int) byte {
	const n = Side
	for l, c := range pictureInks {
		d := 0
		for ch, v := range []uint8{c.R, c.G, c.B} {
			d = max(d, abs(int(pix[(ch*n+y)*n+x])-int(v)))
		}
		if d <= tol {
			return l
		}
	}
	return '?'
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeJPEG(t *testing.T, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 100}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// quadrants is a 64 x 64 picture of four solid 32 x 32 quadrants.
var quadrants = []string{
	"RG",
	"BY",
}

// The four quadrants at a quarter of the 32 x 32 result: each letter is an
// 8 x 8 square, all of one colour.
const quadrantsOut = `RRRRGGGG
RRRRGGGG
RRRRGGGG
RRRRGGGG
BBBBYYYY
BBBBYYYY
BBBBYYYY
BBBBYYYY
`

func TestDecodePNGAndJPEG(t *testing.T) {
	img := paint(32, quadrants...)
	p, err := Decode("quadrants.png", 0, encodePNG(t, img))
	if err != nil {
		t.Fatal(err)
	}
	if p.Format != "PNG" || p.W != 64 || p.H != 64 || p.Name != "quadrants.png" || len(p.Pixels) != 3*32*32 {
		t.Errorf("got %s %dx%d %q with %d bytes", p.Format, p.W, p.H, p.Name, len(p.Pixels))
	}
	// Each output pixel averages 2 x 2 pixels of one quadrant: exact.
	if got := letters(t, p.Pixels, 4, 0); got != quadrantsOut {
		t.Errorf("the PNG gives\n%s want\n%s", got, quadrantsOut)
	}
	if p.Pixels[0] != 220 || p.Pixels[32*32] != 30 || p.Pixels[2*32*32] != 40 {
		t.Errorf("pixel (0, 0) is %d, %d, %d; want 220, 30, 40", p.Pixels[0], p.Pixels[32*32], p.Pixels[2*32*32])
	}

	// JPEG is lossy: within a few levels, the quadrants' edges fall on its
	// 16 x 16 blocks.
	j, err := Decode("quadrants.jpg", 0, encodeJPEG(t, img))
	if err != nil {
		t.Fatal(err)
	}
	if got := letters(t, j.Pixels, 4, 8); j.Format != "JPEG" || got != quadrantsOut {
		t.Errorf("the %s gives\n%s want\n%s", j.Format, got, quadrantsOut)
	}
}

// A landscape picture gives its middle square: the black bands either side
// are cut away.
func TestDecodeCropsTheMiddleSquare(t *testing.T) {
	img := paint(16,
		"KRRGGK",
		"KRRGGK",
		"KBBYYK",
		"KBBYYK",
	) // 96 x 64
	p, err := Decode("wide.png", 0, encodePNG(t, img))
	if err != nil {
		t.Fatal(err)
	}
	if got := letters(t, p.Pixels, 4, 0); got != quadrantsOut || p.W != 96 || p.H != 64 {
		t.Errorf("96 x 64 gives %d x %d and\n%s want\n%s", p.W, p.H, got, quadrantsOut)
	}
	// Portrait, with an odd number of rows to cut: 64 x 67 loses row 0
	// above and rows 65 and 66 below.
	tall := image.NewNRGBA(image.Rect(0, 0, 64, 67))
	for y := range 67 {
		for x := range 64 {
			c := pictureInks['K']
			if y >= 1 && y < 65 {
				c = img.NRGBAAt(x+16, y-1)
			}
			tall.SetNRGBA(x, y, c)
		}
	}
	p, err = Decode("tall.png", 0, encodePNG(t, tall))
	if err != nil {
		t.Fatal(err)
	}
	if got := letters(t, p.Pixels, 4, 0); got != quadrantsOut {
		t.Errorf("64 x 67 gives\n%s want\n%s", got, quadrantsOut)
	}
}

// A source pixel that straddles two output pixels gives each its share, and
// transparent parts lie on white.
func TestDecodeAreaAndAlpha(t *testing.T) {
	// 48 x 48: columns 0–22 red (255, 0, 0), 23–47 blue (0, 0, 255). Output
	// column 15 covers source columns 22.5 to 24: half a red pixel and a
	// blue one, so 1/3 red and 2/3 blue: (85, 0, 170).
	img := image.NewNRGBA(image.Rect(0, 0, 48, 48))
	for y := range 48 {
		for x := range 48 {
			c := color.NRGBA{0, 0, 255, 255}
			if x < 23 {
				c = color.NRGBA{255, 0, 0, 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	p, err := Decode("split.png", 0, encodePNG(t, img))
	if err != nil {
		t.Fatal(err)
	}
	at := func(c, y, x int) uint8 { return p.Pixels[(c*32+y)*32+x] }
	for _, c := range []struct {
		x       int
		r, g, b uint8
	}{{14, 255, 0, 0}, {15, 85, 0, 170}, {16, 0, 0, 255}} {
		if got := [3]uint8{at(0, 7, c.x), at(1, 7, c.x), at(2, 7, c.x)}; got != [3]uint8{c.r, c.g, c.b} {
			t.Errorf("column %d is %v, want %v", c.x, got, [3]uint8{c.r, c.g, c.b})
		}
	}

	// Half-transparent black on white is 255 − 128 = 127; a transparent
	// pixel is white.
	glass := image.NewNRGBA(image.Rect(0, 0, 8, 8))
	for y := range 8 {
		for x := range 8 {
			if x < 4 {
				glass.SetNRGBA(x, y, color.NRGBA{0, 0, 0, 128})
			}
		}
	}
	p, err = Decode("glass.png", 0, encodePNG(t, glass))
	if err != nil {
		t.Fatal(err)
	}
	for c := range 3 {
		if a, b := at(c, 5, 3), at(c, 5, 30); a != 127 || b != 255 {
			t.Errorf("channel %d: half-transparent black gives %d (want 127), transparent gives %d (want 255)", c, a, b)
		}
	}
}

// The other formats: GIF, BMP and TIFF made here, and a lossless WebP made
// by Chromium's canvas (16 x 16: left half (200, 40, 40), right half
// (40, 40, 200)).
func TestDecodeFormats(t *testing.T) {
	img := paint(32, quadrants...)
	pal := image.NewPaletted(img.Rect, color.Palette{pictureInks['R'], pictureInks['G'], pictureInks['B'], pictureInks['Y']})
	for y := range 64 {
		for x := range 64 {
			pal.Set(x, y, img.At(x, y))
		}
	}
	var g, b, ti bytes.Buffer
	if err := gif.Encode(&g, pal, nil); err != nil {
		t.Fatal(err)
	}
	if err := bmp.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	if err := tiff.Encode(&ti, img, nil); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, format string
		data         []byte
	}{{"q.gif", "GIF", g.Bytes()}, {"q.bmp", "BMP", b.Bytes()}, {"q.tiff", "TIFF", ti.Bytes()}} {
		p, err := Decode(c.name, 0, c.data)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got := letters(t, p.Pixels, 4, 0); p.Format != c.format || got != quadrantsOut {
			t.Errorf("%s is read as %s:\n%s", c.name, p.Format, got)
		}
	}

	webp, _ := base64.StdEncoding.DecodeString(chromiumWebP)
	p, err := Decode("halves.webp", 0, webp)
	if err != nil {
		t.Fatal(err)
	}
	at := func(c, y, x int) uint8 { return p.Pixels[(c*32+y)*32+x] }
	if p.Format != "WebP" || p.W != 16 || at(0, 3, 15) != 200 || at(2, 3, 15) != 40 || at(0, 30, 16) != 40 || at(2, 30, 16) != 200 {
		t.Errorf("the WebP is read as %s %dx%d with (3, 15) = %d, %d and (30, 16) = %d, %d", p.Format, p.W, p.H,
			at(0, 3, 15), at(2, 3, 15), at(0, 30, 16), at(2, 30, 16))
	}
}

// chromiumWebP is canvas.toDataURL("image/webp", 1) of a 16 x 16 canvas,
// left half rgb(200, 40, 40), right half rgb(40, 40, 200), from Chromium:
// VP8X with an ICC profile and a lossless VP8L picture.
const chromiumWebP = "UklGRgoCAABXRUJQVlA4WAoAAAAgAAAADwAADwAASUNDUMgBAAAAAAHIAAAAAAQwAABtbnRyUkdCIFhZWiAH4AABAAEAAAAAAABhY3NwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQAA9tYAAQAAAADTLQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAlkZXNjAAAA8AAAACRyWFlaAAABFAAAABRnWFlaAAABKAAAABRiWFlaAAABPAAAABR3dHB0AAABUAAAABRyVFJDAAABZAAAAChnVFJDAAABZAAAAChiVFJDAAABZAAAAChjcHJ0AAABjAAAADxtbHVjAAAAAAAAAAEAAAAMZW5VUwAAAAgAAAAcAHMAUgBHAEJYWVogAAAAAAAAb6IAADj1AAADkFhZWiAAAAAAAABimQAAt4UAABjaWFlaIAAAAAAAACSgAAAPhAAAts9YWVogAAAAAAAA9tYAAQAAAADTLXBhcmEAAAAAAAQAAAACZmYAAPKnAAANWQAAE9AAAApbAAAAAAAAAABtbHVjAAAAAAAAAAEAAAAMZW5VUwAAACAAAAAcAEcAbwBvAGcAbABlACAASQBuAGMALgAgADIAMAAxADZWUDhMHAAAAC8PwAMADzAoRwE9GPL8RwvEgsn8pbsziOh/ZAI="

// withOrientation returns a JPEG with an EXIF block (big-endian TIFF, one
// directory entry) giving orientation o, inserted after the start marker.
func withOrientation(j []byte, o uint16) []byte {
	var t bytes.Buffer
	t.WriteString("Exif\x00\x00MM\x00*")
	binary.Write(&t, binary.BigEndian, uint32(8))      // first directory
	binary.Write(&t, binary.BigEndian, uint16(1))      // one entry
	binary.Write(&t, binary.BigEndian, uint16(0x0112)) // Orientation
	binary.Write(&t, binary.BigEndian, uint16(3))      // SHORT
	binary.Write(&t, binary.BigEndian, uint32(1))      // one value
	binary.Write(&t, binary.BigEndian, o)
	t.Write([]byte{0, 0})
	binary.Write(&t, binary.BigEndian, uint32(0)) // no next directory
	seg := append([]byte{0xff, 0xe1, 0, 0}, t.Bytes()...)
	binary.BigEndian.PutUint16(seg[2:], uint16(len(seg)-2))
	return append(append(append([]byte{}, j[:2]...), seg...), j[2:]...)
}

// A phone stores a portrait photo lying on its side and says, in EXIF,
// how to turn it: the picture comes out as the phone's gallery shows it.
func TestDecodeOrientation(t *testing.T) {
	stored := encodeJPEG(t, paint(32, quadrants...))
	for _, c := range []struct {
		o    uint16
		want string // the quadrants as shown, a letter each
	}{
		{1, "RG\nBY\n"},
		{2, "GR\nYB\n"}, // mirrored
		{3, "YB\nGR\n"}, // half a turn
		{4, "BY\nRG\n"}, // mirrored top to bottom
		{5, "RB\nGY\n"}, // mirrored along the diagonal
		{6, "BR\nYG\n"}, // a quarter turn clockwise: the left column is the top row
		{7, "YG\nBR\n"},
		{8, "GY\nRB\n"}, // a quarter turn anticlockwise
	} {
		j := withOrientation(stored, c.o)
		if got := exifOrientation(j); got != int(c.o) {
			t.Errorf("orientation %d is read as %d", c.o, got)
		}
		p, err := Decode("phone.jpg", 0, j)
		if err != nil {
			t.Fatal(err)
		}
		if got := letters(t, p.Pixels, 16, 8); got != c.want {
			t.Errorf("orientation %d gives\n%s want\n%s", c.o, got, c.want)
		}
	}
	if o := exifOrientation(stored); o != 1 {
		t.Errorf("a JPEG without EXIF has orientation %d", o)
	}
}

// pngHeader returns a PNG's signature and IHDR chunk declaring w x h pixels
// of the given bit depth and colour type (2: RGB, 6: RGBA), and nothing
// else: DecodeConfig reads it, Decode would need the pixels.
func pngHeader(w, h uint32, depth, colourType byte) []byte {
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr, w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = depth, colourType
	chunk := append([]byte("IHDR"), ihdr...)
	b := []byte("\x89PNG\r\n\x1a\n")
	b = binary.BigEndian.AppendUint32(b, 13)
	b = append(b, chunk...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(chunk))
}

func TestDecodeRefuses(t *testing.T) {
	good := encodePNG(t, paint(32, quadrants...))
	heic := append([]byte("\x00\x00\x00\x18ftypheic"), make([]byte, 64)...)
	cases := []struct {
		name string
		size int64
		data []byte
		want string
	}{
		{"photo.txt", 0, []byte("Dear diary, today I learnt about convolutions."),
			"photo.txt is not a picture ConvLab can read: use a PNG, JPEG, GIF, WebP, BMP or TIFF file"},
		{"cut.png", 0, good[:len(good)/2], "cut.png looks like a PNG file but is damaged (invalid format: not enough pixel data)"},
		{"short.png", 0, good[:20], "short.png looks like a PNG file but is damaged (it ends too soon): save it again"},
		{"bomb.png", 0, pngHeader(100000, 100000, 8, 2),
			"bomb.png is 100000 x 100000 pixels (10000 megapixels); pictures up to 40 megapixels can be used"},
		{"deep.png", 0, pngHeader(6000, 4000, 16, 6),
			"deep.png is 6000 x 4000 pixels (24 megapixels); 16-bit pictures up to 20 megapixels can be used"},
		{"zero.png", 0, pngHeader(0, 10, 8, 2), "zero.png looks like a PNG file but is damaged"},
		{"huge.jpg", 48 << 20, nil, "huge.jpg is 48 MB; pictures up to 20 MB can be used"},
		{"big.jpg", 0, make([]byte, MaxBytes+1), "big.jpg is 20 MB; pictures up to 20 MB can be used"},
		{"empty.png", 0, nil, "empty.png is empty (0 bytes)"},
		{"gone.png", 1200, nil, "gone.png could not be read from the computer"},
		{"IMG_0001.HEIC", 0, heic, "IMG_0001.HEIC is not a picture ConvLab can read: it is a HEIC/HEIF photo"},
		{"logo.svg", 0, []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>`), "it is an SVG drawing"},
		{"notes.pdf", 0, []byte("%PDF-1.7\n"), "it is a PDF document"},
		{"", 0, []byte("??"), "the file is not a picture"},
		{"a\x00b\nc.png", 0, []byte("no"), "abc.png is not a picture"},
		{"damaged.jpg", 0, []byte("\xff\xd8\xff\xdb\x00\x02garbage"), "damaged.jpg looks like a JPEG file but is damaged"},
	}
	for _, c := range cases {
		_, err := Decode(c.name, c.size, c.data)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Decode(%q) = %v, want %q", c.name, err, c.want)
		}
	}
}

func TestPictureWords(t *testing.T) {
	for _, c := range []struct {
		n    int64
		want string
	}{{812, "812 bytes"}, {35 << 10, "35 KB"}, {4404019, "4.2 MB"}, {48 << 20, "48 MB"}, {20 << 20, "20 MB"}} {
		if got := byteSize(c.n); got != c.want {
			t.Errorf("byteSize(%d) = %q, want %q", c.n, got, c.want)
		}
	}
	long := strings.Repeat("holiday-", 12) + "beach.jpg"
	if got := Name(long); len([]rune(got)) != 60 || !strings.HasSuffix(got, "beach.jpg") || !strings.HasPrefix(got, "holiday-") {
		t.Errorf("a long name becomes %q", got)
	}
}

// FuzzDecode feeds DecodePicture arbitrary bytes, starting from each
// format's small pictures and broken ones: it must return a picture of the
// right size or an error that names the file, and never panic.
func FuzzDecode(f *testing.F) {
	img := paint(4, "RG", "BY")
	var b bytes.Buffer
	png.Encode(&b, img)
	f.Add(b.Bytes())
	b.Reset()
	jpeg.Encode(&b, img, nil)
	f.Add(withOrientation(b.Bytes(), 6))
	b.Reset()
	gif.Encode(&b, img, nil)
	f.Add(b.Bytes())
	b.Reset()
	bmp.Encode(&b, img)
	f.Add(b.Bytes())
	b.Reset()
	tiff.Encode(&b, img, nil)
	f.Add(b.Bytes())
	webp, _ := base64.StdEncoding.DecodeString(chromiumWebP)
	f.Add(webp)
	f.Add(pngHeader(100000, 100000, 8, 2))
	f.Add([]byte("not a picture"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Decode("fuzz.bin", 0, data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.bin ") {
				t.Fatalf("the message %q does not name the file", err)
			}
			return
		}
		if len(p.Pixels) != 3*Side*Side || p.W <= 0 || p.H <= 0 || p.Format == "" {
			t.Fatalf("accepted a picture %+v", fmt.Sprint(p.Format, p.W, p.H, len(p.Pixels)))
		}
	})
}

// BenchmarkDecode reads a 12-megapixel phone photo's worth of JPEG
// (4032 x 3024, smooth gradients with detail) and a 2-megapixel PNG.
func BenchmarkDecode(b *testing.B) {
	for _, c := range []struct {
		name string
		w, h int
		enc  func(*bytes.Buffer, image.Image) error
	}{
		{"jpeg-12MP", 4032, 3024, func(w *bytes.Buffer, m image.Image) error { return jpeg.Encode(w, m, &jpeg.Options{Quality: 90}) }},
		{"png-2MP", 1920, 1080, func(w *bytes.Buffer, m image.Image) error { return png.Encode(w, m) }},
	} {
		img := image.NewRGBA(image.Rect(0, 0, c.w, c.h))
		for y := range c.h {
			for x := range c.w {
				img.SetRGBA(x, y, color.RGBA{uint8(x * 255 / c.w), uint8(y * 255 / c.h), uint8((x ^ y) & 63), 255})
			}
		}
		var buf bytes.Buffer
		if err := c.enc(&buf, img); err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(buf.Len()))
			for b.Loop() {
				if _, err := Decode("photo", 0, buf.Bytes()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
