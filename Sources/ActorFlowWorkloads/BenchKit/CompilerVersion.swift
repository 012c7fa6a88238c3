/// The version of the Swift compiler that built this module, decided at compile time with `#if compiler`
/// (running `swift --version` at run time would need a toolchain on the benchmark machine).
///
///     print(CompilerVersion.description)   // "6.3.1" with the project's toolchain
///
/// Releases from 6.0 to 6.4.x are recognized to the patch level; an older or newer compiler reports a
/// bound (`"<6.0"`, `">=6.5"`).
public enum CompilerVersion {
    public static let description: String = {
        #if compiler(>=6.5)
            ">=6.5"
        #elseif compiler(>=6.4.3)
            "6.4.3"
        #elseif compiler(>=6.4.2)
            "6.4.2"
        #elseif compiler(>=6.4.1)
            "6.4.1"
        #elseif compiler(>=6.4)
            "6.4"
        #elseif compiler(>=6.3.3)
            "6.3.3"
        #elseif compiler(>=6.3.2)
            "6.3.2"
        #elseif compiler(>=6.3.1)
            "6.3.1"
        #elseif compiler(>=6.3)
            "6.3"
        #elseif compiler(>=6.2.3)
            "6.2.3"
        #elseif compiler(>=6.2.2)
            "6.2.2"
        #elseif compiler(>=6.2.1)
            "6.2.1"
        #elseif compiler(>=6.2)
            "6.2"
        #elseif compiler(>=6.1.3)
            "6.1.3"
        #elseif compiler(>=6.1.2)
            "6.1.2"
        #elseif compiler(>=6.1.1)
            "6.1.1"
        #elseif compiler(>=6.1)
            "6.1"
        #elseif compiler(>=6.0.3)
            "6.0.3"
        #elseif compiler(>=6.0.2)
            "6.0.2"
        #elseif compiler(>=6.0.1)
            "6.0.1"
        #elseif compiler(>=6.0)
            "6.0"
        #else
            "<6.0"
        #endif
    }()
}
