module Demo
  class Greeter
    def greet(name)
      format_name(name)
    end
  end

  def self.helper
    1
  end
end

def format_name(name)
  name.strip
end
