package lesson

import (
	"fmt"
	"unicode/utf8"
)

// UsePicture reads a student's picture file (DecodePicture: name, size as
// the browser reported it, bytes or nil when unread) and makes it the
// input, in place of any picture of their own before it. A file that cannot
// be used is refused with DecodePicture's message (also kept as Message),
// and the input and the earlier picture stay as they were.
func (m *Maps) UsePicture(name string, size int64, b []byte) error {
	p, err := DecodePicture(name, size, b)
	if err != nil {
		return m.edited(err)
	}
	return m.SetPicture(p)
}

// SetPicture makes p the student's own picture and the input. It refuses a
// picture that is not 3 x PictureSide x PictureSide, changing nothing.
func (m *Maps) SetPicture(p UserPicture) error {
	if err := p.check(); err != nil {
		return m.edited(err)
	}
	p.Pixels = append([]uint8(nil), p.Pixels...)
	m.upload = &p
	return m.SetInput(Upload)
}

// Picture returns the student's own picture, if there is one. Its Pixels
// belong to the model: read them only.
func (m *Maps) Picture() (UserPicture, bool) {
	if m.upload == nil {
		return UserPicture{}, false
	}
	return *m.upload, true
}

// check validates a picture kept in settings or handed to SetPicture.
func (p *UserPicture) check() error {
	switch {
	case len(p.Pixels) != 3*PictureSide*PictureSide:
		return fmt.Errorf("a picture of %d values is not 3 x %d x %d", len(p.Pixels), PictureSide, PictureSide)
	case len(p.Name) > 256 || !utf8.ValidString(p.Name):
		return fmt.Errorf("a picture's name of %d bytes is too long or not text", len(p.Name))
	case len(p.Format) > 8:
		return fmt.Errorf("a picture format of %d bytes is not a format", len(p.Format))
	case p.W < 0 || p.H < 0 || p.W > 1<<20 || p.H > 1<<20:
		return fmt.Errorf("a picture of %d x %d pixels", p.W, p.H)
	}
	return nil
}

// UploadState is the student's own picture as state() reports it.
type UploadState struct {
	Name   string `json:"name"`
	Format string `json:"format"`
	Width  int    `json:"width"`  // in the file, before cropping and scaling
	Height int    `json:"height"` //
}
