plugins {
    id("com.android.application")
}

android {
    namespace = "dev.mote.demo"
    compileSdk = 34

    defaultConfig {
        applicationId = "dev.mote.demo"
        minSdk = 24
        targetSdk = 34
        versionCode = 1
        versionName = "0.1"
        ndk {
            abiFilters += listOf("arm64-v8a", "armeabi-v7a", "x86_64")
        }
        externalNativeBuild {
            cmake {
                arguments += "-DANDROID_STL=none"   // the runtime and the bridge are C
            }
        }
    }

    // libmote_jni.so: runtime_c/ (from the repository, not a copy) plus the JNI bridge.
    externalNativeBuild {
        cmake {
            path = file("src/main/cpp/CMakeLists.txt")
            version = "3.22.1"
        }
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_1_8
        targetCompatibility = JavaVersion.VERSION_1_8
    }

    // The model is mapped in place from the APK (Interpreter(ByteBuffer)), so it stays uncompressed.
    androidResources {
        noCompress += "tflite"
    }
}
