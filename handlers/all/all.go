// Package all registers every handler this module ships. Import it for its
// side effect when a program wants them all:
//
//	import _ "github.com/thumbnail-go/thumbnail/handlers/all"
package all

import (
	_ "github.com/thumbnail-go/thumbnail/handlers/avif"
	_ "github.com/thumbnail-go/thumbnail/handlers/bmp"
	_ "github.com/thumbnail-go/thumbnail/handlers/gif"
	_ "github.com/thumbnail-go/thumbnail/handlers/heic"
	_ "github.com/thumbnail-go/thumbnail/handlers/jpeg"
	_ "github.com/thumbnail-go/thumbnail/handlers/netpbm"
	_ "github.com/thumbnail-go/thumbnail/handlers/pdf"
	_ "github.com/thumbnail-go/thumbnail/handlers/png"
	_ "github.com/thumbnail-go/thumbnail/handlers/svg"
	_ "github.com/thumbnail-go/thumbnail/handlers/tiff"
	_ "github.com/thumbnail-go/thumbnail/handlers/video"
	_ "github.com/thumbnail-go/thumbnail/handlers/webp"
)
