//! Counts characters the way a person does: user-perceived characters, Unicode's extended
//! grapheme clusters (UAX #29). A family emoji built from seven code points, `e` plus a
//! combining accent, a flag or a Hangul syllable spelled in jamo each count once.
//!
//! This is a compact rule of our own rather than the `unicode-segmentation` crate, whose
//! tables cost every visitor about 10 KB brotli. The one table we need, the code points with
//! a segmentation role, is derived from `unicode-segmentation` by a test
//! (`table_matches_unicode_segmentation`) and stored as about 1.4 KB of packed ranges.
//!
//! One deliberate simplification keeps the table small: spacing marks are treated like other
//! extending marks. The two differ only inside emoji ZWJ sequences and Indic conjuncts that
//! contain a spacing mark, which no real name does (see `spacing_marks_are_treated_as_extend`).

mod table;

/// Counts the user-perceived characters in `text`.
///
/// ```
/// use rules::graphemes::count_graphemes;
///
/// assert_eq!(count_graphemes("Zoe\u{301}"), 3);
/// assert_eq!(count_graphemes("\u{1F469}\u{200D}\u{1F4BB}"), 1);
/// ```
pub fn count_graphemes(text: &str) -> usize {
    count_clusters_up_to(text.chars(), usize::MAX)
}

/// Counts the user-perceived characters in `text`, stopping once `limit` is reached,
/// so the cost of checking a length limit does not grow with the size of the input.
pub fn count_graphemes_up_to(text: &str, limit: usize) -> usize {
    count_clusters_up_to(text.chars(), limit)
}

/// Counts clusters in a stream of characters, pulling no more characters than needed to
/// know that `limit` clusters have started, plus one.
pub fn count_clusters_up_to(chars: impl IntoIterator<Item = char>, limit: usize) -> usize {
    let mut segmenter = Segmenter::default();
    chars
        .into_iter()
        .filter(|&c| segmenter.starts_cluster(c))
        .take(limit)
        .count()
}

/// The role a code point plays in segmentation (UAX #29's Grapheme_Cluster_Break, plus the
/// properties rules GB9c and GB11 look at).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    Other,
    Cr,
    Lf,
    Control,
    /// Extend and SpacingMark: marks that attach to what precedes them.
    Extend,
    Zwj,
    /// Indic viramas that join consonants into one conjunct (InCB=Linker).
    Linker,
    /// Emoji and other pictographs (Extended_Pictographic).
    Pictographic,
    /// Indic consonants (InCB=Consonant).
    Consonant,
    Prepend,
    RegionalIndicator,
    HangulL,
    HangulV,
    HangulT,
    HangulLv,
    HangulLvt,
}

impl Class {
    fn of(c: char) -> Self {
        match c {
            '\r' => Self::Cr,
            '\n' => Self::Lf,
            '\u{200D}' => Self::Zwj,
            '\u{1F1E6}'..='\u{1F1FF}' => Self::RegionalIndicator,
            '\u{1100}'..='\u{115F}' | '\u{A960}'..='\u{A97C}' => Self::HangulL,
            '\u{1160}'..='\u{11A7}' | '\u{D7B0}'..='\u{D7C6}' => Self::HangulV,
            '\u{11A8}'..='\u{11FF}' | '\u{D7CB}'..='\u{D7FB}' => Self::HangulT,
            '\u{AC00}'..='\u{D7A3}' if (c as u32 - 0xAC00).is_multiple_of(28) => Self::HangulLv,
            '\u{AC00}'..='\u{D7A3}' => Self::HangulLvt,
            _ => match table_code(c) {
                None => Self::Other,
                Some(EXTEND) => Self::Extend,
                Some(LINKER) => Self::Linker,
                Some(PICTOGRAPHIC) => Self::Pictographic,
                Some(CONSONANT) => Self::Consonant,
                Some(PREPEND) => Self::Prepend,
                Some(CONTROL) => Self::Control,
                Some(_) => Self::Other,
            },
        }
    }

    fn extends(self) -> bool {
        matches!(self, Self::Extend | Self::Zwj | Self::Linker)
    }
}

// The class codes stored in `table::RANGES`.
const EXTEND: u8 = 0;
const LINKER: u8 = 1;
const PICTOGRAPHIC: u8 = 2;
const CONSONANT: u8 = 3;
const PREPEND: u8 = 4;
const CONTROL: u8 = 5;

/// Looks a code point up in `table::RANGES`: sorted, disjoint ranges, each stored as two
/// LEB128 numbers: the gap since the end of the previous range, then the range's length
/// minus one shifted left by three bits, with the class code in the low three bits.
fn table_code(c: char) -> Option<u8> {
    let target = c as u32;
    let mut bytes = table::RANGES.iter().copied();
    let mut start = 0;
    loop {
        start += read_leb128(&mut bytes)?;
        let packed = read_leb128(&mut bytes)?;
        let end = start + (packed >> 3);
        if target < start {
            return None;
        }
        if target <= end {
            return Some((packed & 0b111) as u8);
        }
        start = end + 1;
    }
}

fn read_leb128(bytes: &mut impl Iterator<Item = u8>) -> Option<u32> {
    let mut value = 0;
    let mut shift = 0;
    loop {
        let byte = bytes.next()?;
        value |= u32::from(byte & 0x7F) << shift;
        if byte & 0x80 == 0 {
            return Some(value);
        }
        shift += 7;
    }
}

/// Where we are inside an Indic conjunct (rule GB9c).
#[derive(Clone, Copy, Default, PartialEq, Eq)]
enum Conjunct {
    #[default]
    None,
    AfterConsonant,
    AfterLinker,
}

/// Where we are inside an emoji ZWJ sequence (rule GB11).
#[derive(Clone, Copy, Default, PartialEq, Eq)]
enum EmojiSequence {
    #[default]
    None,
    AfterPictograph,
    AfterZwj,
}

/// Finds cluster starts one character at a time.
#[derive(Default)]
struct Segmenter {
    previous: Option<Class>,
    conjunct: Conjunct,
    emoji: EmojiSequence,
    /// Whether the run of regional indicators so far has an odd length (rules GB12, GB13).
    odd_regional_indicators: bool,
}

impl Segmenter {
    /// Feeds the next character; true when it starts a new cluster.
    fn starts_cluster(&mut self, c: char) -> bool {
        use Class::*;
        let current = Class::of(c);
        let boundary = match (self.previous, current) {
            (None, _) => true,
            (Some(Cr), Lf) => false,
            (Some(Cr | Lf | Control), _) | (_, Cr | Lf | Control) => true,
            (Some(HangulL), HangulL | HangulV | HangulLv | HangulLvt) => false,
            (Some(HangulLv | HangulV), HangulV | HangulT) => false,
            (Some(HangulLvt | HangulT), HangulT) => false,
            (_, class) if class.extends() => false,
            (Some(Prepend), _) => false,
            (_, Consonant) if self.conjunct == Conjunct::AfterLinker => false,
            (Some(Zwj), Pictographic) if self.emoji == EmojiSequence::AfterZwj => false,
            (Some(RegionalIndicator), RegionalIndicator) => !self.odd_regional_indicators,
            _ => true,
        };

        self.conjunct = match (current, self.conjunct) {
            (Consonant, _) => Conjunct::AfterConsonant,
            (Linker, Conjunct::AfterConsonant | Conjunct::AfterLinker) => Conjunct::AfterLinker,
            (Extend | Zwj, state) => state,
            _ => Conjunct::None,
        };
        self.emoji = match (current, self.emoji) {
            (Pictographic, _) => EmojiSequence::AfterPictograph,
            (Extend | Linker, EmojiSequence::AfterPictograph) => EmojiSequence::AfterPictograph,
            (Zwj, EmojiSequence::AfterPictograph) => EmojiSequence::AfterZwj,
            _ => EmojiSequence::None,
        };
        self.odd_regional_indicators = current == RegionalIndicator
            && !(self.previous == Some(RegionalIndicator) && self.odd_regional_indicators);
        self.previous = Some(current);
        boundary
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_segmentation::UnicodeSegmentation;

    fn oracle_count(text: &str) -> usize {
        text.graphemes(true).count()
    }

    #[test]
    fn counts_what_a_person_sees() {
        assert_eq!(count_graphemes(""), 0);
        assert_eq!(count_graphemes("Ferris"), 6);
        assert_eq!(count_graphemes("Zoë"), 3);
        assert_eq!(count_graphemes("Zoe\u{308}"), 3);
        assert_eq!(count_graphemes("山田太郎"), 4);
        assert_eq!(count_graphemes("مريم"), 4);
        // Family: man, woman, girl, boy joined by ZWJ.
        assert_eq!(
            count_graphemes("\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}\u{200D}\u{1F466}"),
            1
        );
        // Thumbs up with a skin tone, a flag, a keycap.
        assert_eq!(count_graphemes("\u{1F44D}\u{1F3FD}"), 1);
        assert_eq!(count_graphemes("\u{1F1E9}\u{1F1EA}\u{1F1EB}\u{1F1F7}"), 2);
        assert_eq!(count_graphemes("1\u{FE0F}\u{20E3}"), 1);
        // Hangul spelled in conjoining jamo, and "नमस्ते" with its conjunct.
        assert_eq!(count_graphemes("\u{1112}\u{1161}\u{11AB}"), 1);
        assert_eq!(count_graphemes("नमस्ते"), 3);
        assert_eq!(count_graphemes("\r\n"), 1);
    }

    #[test]
    fn stops_counting_at_the_limit() {
        assert_eq!(count_graphemes_up_to("abcdef", 3), 3);
        assert_eq!(count_graphemes_up_to("ab", 3), 2);
    }

    #[test]
    fn agrees_with_unicode_segmentation_on_names() {
        let names = [
            "Ferris",
            "Zoë",
            "José",
            "Zoe\u{301}",
            "Ðorđe",
            "Þórr",
            "Øyvind",
            "Ελένη",
            "Дмитрий",
            "مريم",
            "محمد",
            "שָׁלוֹם",
            "יִצְחָק",
            "山田太郎",
            "王小明",
            "김민준",
            "ひらがな",
            "ｶﾀｶﾅ",
            "नमस्ते",
            "क्षत्रिय",
            "ศรีสุข",
            "ທອງ",
            "ཀློང",
            "ລາວ",
            "ខ្មែរ",
            "ꦗꦮ",
            "ᄒᆞᆫ",
            "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}\u{200D}\u{1F466} family",
            "\u{1F3F3}\u{FE0F}\u{200D}\u{1F308}",
            "\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}",
            "\u{1F9D1}\u{1F3FD}\u{200D}\u{1F680}",
            "\u{0600}\u{0661}",
            "a\u{200B}b",
            "Z\u{35F}\u{36D}\u{351}a\u{33E}\u{36B}l\u{31F}\u{359}g\u{311}o",
        ];
        for name in names {
            assert_eq!(count_graphemes(name), oracle_count(name), "{name:?}");
        }
    }

    /// Every class the rules distinguish, so the random test below draws from each.
    const CLASSES: [Class; 16] = [
        Class::Other,
        Class::Cr,
        Class::Lf,
        Class::Control,
        Class::Extend,
        Class::Zwj,
        Class::Linker,
        Class::Pictographic,
        Class::Consonant,
        Class::Prepend,
        Class::RegionalIndicator,
        Class::HangulL,
        Class::HangulV,
        Class::HangulT,
        Class::HangulLv,
        Class::HangulLvt,
    ];

    /// A fixed linear congruential generator: `next(bound)` is in `0..bound`, and the same
    /// every run.
    fn generator() -> impl FnMut(usize) -> usize {
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        move |bound: usize| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) as usize % bound
        }
    }

    /// The table's ranges as (first, last, class code).
    fn table_ranges() -> Vec<(u32, u32, u8)> {
        let mut bytes = table::RANGES.iter().copied();
        let mut ranges = Vec::new();
        let mut start = 0;
        while let Some(gap) = read_leb128(&mut bytes) {
            start += gap;
            let packed = read_leb128(&mut bytes).expect("each range has a length");
            let end = start + (packed >> 3);
            ranges.push((start, end, (packed & 0b111) as u8));
            start = end + 1;
        }
        ranges
    }

    /// Up to `per_class` code points of each class, drawn from the whole of Unicode: from
    /// every range of the table, from the ranges `Class::of` matches itself, and from what
    /// lies between. Spacing marks are left out: they are the one documented simplification
    /// (`spacing_marks_are_treated_as_extend`).
    fn pool_from_every_class(per_class: usize) -> Vec<char> {
        let mut next = generator();
        let mut candidates: Vec<u32> = vec![0x0D, 0x0A, 0x200D, 0x1F1E6, 0x1F1FF];
        for (first, last) in [
            (0x1100, 0x115F),
            (0xA960, 0xA97C),
            (0x1160, 0x11A7),
            (0xD7B0, 0xD7C6),
            (0x11A8, 0x11FF),
            (0xD7CB, 0xD7FB),
            (0xAC00, 0xD7A3),
        ]
        .into_iter()
        .chain(
            table_ranges()
                .into_iter()
                .map(|(first, last, _)| (first, last)),
        ) {
            candidates.extend([
                first,
                last,
                first + next((last - first + 1) as usize) as u32,
            ]);
            // What lies just outside a range is the likeliest to be misread.
            candidates.extend([first.saturating_sub(1), last + 1]);
        }
        candidates.extend((0..2_000).map(|_| next(0x11_0000) as u32));
        let is_spacing_mark = |c: char| {
            Class::of(c) == Class::Extend
                && oracle_count(&format!("\u{1F600}{c}\u{200D}\u{1F600}")) == 2
        };
        let mut pool: Vec<char> = Vec::new();
        for class in CLASSES {
            let mut members: Vec<char> = candidates
                .iter()
                .filter_map(|&cp| char::from_u32(cp))
                .filter(|&c| Class::of(c) == class && !is_spacing_mark(c))
                .collect();
            members.sort_unstable();
            members.dedup();
            assert!(!members.is_empty(), "no code point of class {class:?}");
            while members.len() > per_class {
                members.swap_remove(next(members.len()));
            }
            pool.extend(members);
        }
        pool
    }

    #[test]
    fn agrees_with_unicode_segmentation_on_random_sequences() {
        let pool = pool_from_every_class(12);
        let mut next = generator();
        for _ in 0..40_000 {
            let len = next(10);
            let text: String = (0..len).map(|_| pool[next(pool.len())]).collect();
            assert_eq!(count_graphemes(&text), oracle_count(&text), "{text:?}");
        }
    }

    #[test]
    fn spacing_marks_are_treated_as_extend() {
        // Deliberate, documented in the module comment: an emoji, a spacing mark (Devanagari
        // vowel sign I), a ZWJ and an emoji are two clusters by UAX #29 and one here.
        let text = "\u{1F600}\u{93F}\u{200D}\u{1F600}";
        assert_eq!(oracle_count(text), 2);
        assert_eq!(count_graphemes(text), 1);
        // Outside such sequences spacing marks behave exactly as UAX #29 says.
        assert_eq!(count_graphemes("कि"), oracle_count("कि"));
        assert_eq!(count_graphemes("กำ"), oracle_count("กำ"));
    }

    /// Derives each code point's class from `unicode-segmentation` by asking how it joins
    /// its neighbours. Hangul and regional indicators are matched in `Class::of` directly.
    fn oracle_table_code(c: char) -> Option<u8> {
        let joins = |parts: &[&str]| oracle_count(&parts.concat()) == 1;
        let c = c.to_string();
        let c = c.as_str();
        if oracle_count(&["a", c, "\u{301}"].concat()) == 3 {
            return Some(CONTROL);
        }
        if joins(&["a", c]) {
            if joins(&["\u{915}", c, "\u{915}"]) {
                return Some(LINKER);
            }
            return Some(EXTEND);
        }
        if joins(&["\u{1F600}\u{200D}", c]) {
            return Some(PICTOGRAPHIC);
        }
        if joins(&["\u{915}\u{94D}", c]) {
            return Some(CONSONANT);
        }
        if joins(&[c, "a"]) {
            return Some(PREPEND);
        }
        None
    }

    fn handled_outside_the_table(c: char) -> bool {
        matches!(
            Class::of(c),
            Class::RegionalIndicator
                | Class::HangulL
                | Class::HangulV
                | Class::HangulT
                | Class::HangulLv
                | Class::HangulLvt
        ) || matches!(c, '\u{A97D}'..='\u{A97F}' | '\u{D7C7}'..='\u{D7CA}' | '\u{D7FC}'..='\u{D7FF}')
    }

    fn encode_ranges(ranges: &[(u32, u32, u8)]) -> Vec<u8> {
        fn leb128(mut value: u32, out: &mut Vec<u8>) {
            loop {
                let byte = (value & 0x7F) as u8;
                value >>= 7;
                if value == 0 {
                    out.push(byte);
                    return;
                }
                out.push(byte | 0x80);
            }
        }
        let mut out = Vec::new();
        let mut next_start = 0;
        for &(start, end, code) in ranges {
            leb128(start - next_start, &mut out);
            leb128(((end - start) << 3) | u32::from(code), &mut out);
            next_start = end + 1;
        }
        out
    }

    fn render_table(bytes: &[u8]) -> String {
        let mut source = String::from(
            "//! Generated by `UPDATE_GRAPHEME_TABLE=1 cargo test -p rules table_matches`: do not edit.\n\n",
        );
        source +=
            "/// Code points with a segmentation role, packed as described at `table_code`.\n";
        source += &format!("pub(super) static RANGES: [u8; {}] = [\n", bytes.len());
        for line in bytes.chunks(16) {
            let row: Vec<String> = line.iter().map(|b| format!("0x{b:02x},")).collect();
            source += &format!("    {}\n", row.join(" "));
        }
        source += "];\n";
        source
    }

    #[test]
    fn table_matches_unicode_segmentation() {
        let mut ranges: Vec<(u32, u32, u8)> = Vec::new();
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            if handled_outside_the_table(c) {
                continue;
            }
            let Some(code) = oracle_table_code(c) else {
                continue;
            };
            let cp = c as u32;
            match ranges.last_mut() {
                Some((_, end, last)) if *last == code && *end + 1 == cp => *end = cp,
                _ => ranges.push((cp, cp, code)),
            }
        }
        let expected = render_table(&encode_ranges(&ranges));
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/graphemes/table.rs");
        if std::env::var_os("UPDATE_GRAPHEME_TABLE").is_some() {
            std::fs::write(path, &expected).expect("write the grapheme table");
        }
        let actual = std::fs::read_to_string(path).expect("read the grapheme table");
        assert!(
            actual == expected,
            "rules/src/graphemes/table.rs is out of date: run `UPDATE_GRAPHEME_TABLE=1 cargo test -p rules table_matches`"
        );
    }
}
