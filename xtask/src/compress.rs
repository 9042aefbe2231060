//! Compression as a static server stores it: the strongest settings, done once at build time.

use std::io::Write as _;

/// Gzip at the strongest level.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder
        .write_all(bytes)
        .expect("writing to memory cannot fail");
    encoder.finish().expect("writing to memory cannot fail")
}

/// Brotli at quality 11 with a 4 MiB window, as `brotli --best` stores it.
pub fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)
        .expect("compressing in memory cannot fail");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compression_round_trips_and_shrinks_repetitive_text() {
        let text = "Hello, Ferris! ".repeat(200);
        let compressed = brotli(text.as_bytes());
        let mut decoded = Vec::new();
        brotli::BrotliDecompress(&mut &compressed[..], &mut decoded).unwrap();
        assert_eq!(decoded, text.as_bytes());
        assert!(compressed.len() < text.len() / 10);
        let mut gunzipped = Vec::new();
        std::io::Read::read_to_end(
            &mut flate2::read::GzDecoder::new(&gzip(text.as_bytes())[..]),
            &mut gunzipped,
        )
        .unwrap();
        assert_eq!(gunzipped, text.as_bytes());
    }
}
