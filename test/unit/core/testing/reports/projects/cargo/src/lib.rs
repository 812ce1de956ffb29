// Sample project for the report parsers: passing, failing and ignored tests on purpose.
pub fn add(a: i32, b: i32) -> i32 {
    a + b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds() {
        assert_eq!(add(1, 2), 3);
    }

    #[test]
    fn adds_wrongly() {
        assert_eq!(add(2, 2), 5);
    }

    #[test]
    #[ignore]
    fn ignored() {}

    #[test]
    fn panics_with_message() {
        panic!("something broke");
    }

    mod nested {
        #[test]
        fn deep() {
            assert!(1 < 2);
        }
    }
}
