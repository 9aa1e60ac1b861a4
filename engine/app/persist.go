package app

import (
	"fmt"
	"net/url"
	"strings"
)

// Persistent is a screen whose work can be saved in a share link and in
// the browser's storage, so nothing a student made is lost on a reload.
type Persistent interface {
	// Encode returns the screen's state as a compact string.
	Encode() string
	// Decode restores a state Encode wrote. On an error it changes nothing.
	Decode(s string) error
}

// Keeper is a screen with state too big for a link (a trained net's
// weights, say), kept only in the browser's storage.
type Keeper interface {
	// Kept returns the state to keep and its version, which changes
	// whenever the state does (the page writes it again then). An empty
	// string has nothing to keep.
	Kept() (data string, version int)
	// Keep hands back a state Kept returned, at the page's start. On an
	// error it changes nothing.
	Keep(data string) error
}

// Keepers returns the screens that keep state in the browser's storage,
// by lesson id.
func (a *App) Keepers() map[string]Keeper {
	out := map[string]Keeper{}
	for _, s := range a.screens {
		if k, ok := s.(Keeper); ok {
			out[s.Info().ID] = k
		}
	}
	return out
}

// Encode returns the whole page's state as a URL fragment (without "#"):
// the lesson on show and each persistent lesson's state.
func (a *App) Encode() string {
	v := url.Values{}
	v.Set("lesson", a.screens[a.cur].Info().ID)
	for _, s := range a.screens {
		if p, ok := s.(Persistent); ok {
			v.Set(s.Info().ID, p.Encode())
		}
	}
	return v.Encode()
}

// Decode restores a state Encode wrote. Lessons whose part is missing keep
// their state; a part that cannot be read is skipped and named in the
// error, and every other part is still restored, so one bad part of a link
// loses nothing else.
func (a *App) Decode(fragment string) error {
	fragment = strings.TrimPrefix(fragment, "#")
	if fragment == "" {
		return nil
	}
	v, err := url.ParseQuery(fragment)
	if err != nil {
		return fmt.Errorf("the link is damaged (%v): ConvLab opened with your saved work instead", err)
	}
	var bad []string
	for _, s := range a.screens {
		p, ok := s.(Persistent)
		part, has := v[s.Info().ID]
		if !ok || !has || len(part) == 0 {
			continue
		}
		if err := p.Decode(part[0]); err != nil {
			bad = append(bad, s.Info().Title+": "+err.Error())
		}
	}
	if id := v.Get("lesson"); id != "" && !a.ShowID(id) {
		bad = append(bad, fmt.Sprintf("no lesson is called %q", id))
	}
	if len(bad) > 0 {
		return fmt.Errorf("part of the link could not be read, so it was left out: %s", strings.Join(bad, "; "))
	}
	return nil
}
